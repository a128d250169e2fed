# The window: frame, navigation and the screens' empty states.

app-name = Tirek
app-tagline = Support for parents of children with disabilities

nav-label = Main sections
nav-caseload = Caseload
nav-agenda = Agenda
nav-questionnaires = Questionnaires
nav-letters = Letters
nav-settings = Settings

language-label = Language

status-label = Status
status-profile-none = No profile open
status-sync-offline = Working offline — nothing is sent anywhere
status-loading = Starting…

caseload-title = Caseload
caseload-empty-heading = No families yet

agenda-title = Agenda

questionnaires-title = Questionnaires
questionnaires-empty-heading = No questionnaires given yet
questionnaires-empty-body = Here you will give PHQ-9, GAD-7, WHO-5, PSS-10 and the burnout questionnaires, see each parent's scores over time and notice reliable change and risk.

letters-title = Letters
letters-empty-heading = No letters yet
letters-empty-body = Referral letters in Kazakh, Russian or English, with the clinic's letterhead and an outgoing number, and the register of everything sent and its outcome.

settings-title = Settings
settings-language-heading = Interface language
settings-language-body = The language of menus and messages. Letters and questionnaires have their own language, chosen each time.
settings-about-heading = About this copy of Tirek
settings-version = Version
settings-build = Build
settings-data-dir = Data folder

data-dir-problem-heading = Tirek cannot save anything
data-dir-problem-body = The data folder { $path } cannot be written to. Ask the person who looks after this computer to give your account write access to it, or start Tirek with another folder.

gate-create-heading = Create your profile
gate-create-body = Your caseload is kept in an encrypted profile on this computer. Only your password opens it; colleagues who share this computer get profiles of their own.
gate-name-label = Your name
gate-password-label = Password
gate-password-repeat-label = Repeat the password
gate-password-hint = At least 10 characters. A short sentence is easy to remember and hard to guess.
gate-create-button = Create profile
gate-passwords-differ = The two passwords differ.
gate-recovery-heading = Your recovery key
gate-recovery-body = Write this key down or print this page, and keep it in the clinic safe. If you forget your password or this computer is replaced, it is the only way to open your profile. It will not be shown again.
gate-recovery-confirm = I have written down or printed the recovery key
gate-recovery-print = Print this page
gate-continue = Continue
gate-unlock-heading = Unlock your profile
gate-locked-heading = Tirek is locked
gate-locked-body = Your work is saved. Enter your password to continue where you left off.
gate-profile-label = Profile
gate-unlock-button = Unlock
gate-new-profile = New profile
gate-back = Back
gate-working = Please wait…
status-lock-button = Lock
settings-security-heading = Security
settings-auto-lock-label = Lock after inactivity
settings-auto-lock-minutes = { $minutes } min
settings-password-heading = Change password
settings-old-password = Current password
settings-new-password = New password
settings-change-password-button = Change password
settings-password-changed = The password has been changed.
settings-backup-heading = Backups
settings-backup-body = Once a day while your profile is open, Tirek writes an encrypted backup into this folder — ideally a USB disk or a network folder, not this computer's own disk. A backup opens with your password here, or with the recovery key anywhere.
settings-backup-folder = Backup folder
settings-backup-kept = Backups kept
settings-backup-save = Save
settings-backup-now = Back up now
settings-backup-latest = Latest backup: { $name }
settings-backup-none = No backup in this folder yet.
settings-backup-saved = Saved.
gate-forgot = Forgot the password, or a new computer?
gate-recover-heading = Open with the recovery key
gate-recover-body = Type the recovery key from the sheet kept in the clinic safe, and choose a new password.
gate-recovery-key-label = Recovery key
gate-new-password-label = New password
gate-recover-button = Set the new password and open
gate-recovery-save = Save as PDF
gate-recovery-saved = Saved to { $path }

## Settings → Clinic.
settings-instruments-heading = Questionnaires
settings-instruments-body = The questionnaires this computer can give. A licensed questionnaire can be given once the clinic imports the text it received from the authors.
settings-instruments-version = version { $version }
settings-instruments-not-validated = translation not validated: { $languages }
settings-instruments-needs-text = Item text not installed
settings-instruments-installed = Ready to give
settings-instruments-import = Import a licensed text…
settings-instruments-import-title = Choose the licensed questionnaire file
settings-instruments-imported = { $name } is installed: it can be given now.

settings-clinic-heading = Clinic
settings-clinic-body = Printed at the head of consent forms, records and letters. The same for everyone who uses this computer.
settings-clinic-name = Name of the organisation
settings-clinic-bin = BIN
settings-clinic-bin-hint = 12 digits; checked like an IIN
settings-clinic-address = Address
settings-clinic-phone = Phone
settings-clinic-save = Save the clinic's details
settings-clinic-saved = The clinic's details are saved.
