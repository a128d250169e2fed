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
caseload-empty-body = Here you will see the parents and guardians you counsel, with their children, open risk flags, overdue follow-ups and the date of your last contact. You will be able to sort, filter by district and search by name, IIN or phone.

agenda-title = Agenda
agenda-empty-heading = Nothing planned yet
agenda-empty-body = Follow-ups, appointments and questionnaires that fall due will appear here, by day and by week, with overdue ones on top.

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
