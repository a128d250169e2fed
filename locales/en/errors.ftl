# Errors, shared by the window and the command line. The window picks a message by
# the error's kind; the command line prints the specific one.

error-kind-not-found = That record could not be found. It may have been archived or erased.
error-kind-validation = Some of what was entered is not valid. Check the highlighted field.
error-kind-locked = The profile is locked. Unlock it to continue.
error-kind-conflict = This record was changed elsewhere at the same time. Both versions are kept for you to review.
error-kind-offline = The server cannot be reached. Your work is saved on this computer and will be sent later.
error-kind-storage = Tirek could not save to this computer's disk. Nothing was half-saved; free some space or check the data folder, then try again.
error-kind-internal = Something went wrong inside Tirek. Nothing was lost. If it happens again, tell your administrator.

error-prefix = error
error-data-dir-unwritable = Tirek cannot write to its data folder { $path }
error-data-dir-unusable = Tirek cannot use { $path } as its data folder: it is not a folder
error-settings-unreadable = The settings file { $path } is damaged; Tirek will use its defaults and rewrite it
error-settings-unsaved = Tirek could not save its settings to { $path }

error-io = Tirek could not read or write { $path }
error-disk-full = The disk is full, so nothing was saved ({ $path }). Free some space and try again.
error-key-file-damaged = The profile's key file { $path } is damaged. Restore the profile from a backup.
error-newer-format = { $path } was made by a newer version of Tirek. Install that version to open it.
error-wrong-password = Wrong password. Check the keyboard language and Caps Lock, then try again.
error-wrong-recovery-key = This recovery key does not belong to this profile.
error-malformed-recovery-key = A recovery key has 52 letters and digits in groups of four, like ABCD-EFGH-IJKL-…
error-device-secret-missing = This profile was set up on another computer, or this computer's keyring was reset. Open it with the recovery key from the printed sheet.
error-keyring-unavailable = The system keyring cannot be reached, and this profile needs it. Log in to the computer again, or open the profile with its recovery key.
error-profile-not-found = This profile no longer exists on this computer.
error-profile-in-use = This profile is already open in another Tirek window. Close that window first.
error-profile-name-empty = Enter a name for the profile.
error-profile-name-too-long = The name is too long: at most { $max } characters.
error-profile-name-control = The name contains an invisible control character; type it again instead of pasting.
error-password-too-short = The password needs at least { $min } characters. A short sentence is easy to remember and hard to guess.
error-password-too-common = This password is among the first anyone would try. Choose a short sentence instead.
error-password-contains-name = The password must not contain your name.
error-not-a-database = { $path } is not a Tirek database.
error-database-locked = Another program is using the database { $path }. Close it and try again.
error-database-corrupted = The database { $path } is damaged ({ $detail }). Restore it from the latest backup.
error-migration = Tirek could not update the database for this version ({ $name }); nothing was changed. Tell your administrator.
error-database = A database error occurred in { $path }. Nothing was lost. If it happens again, tell your administrator.
warning-keyring-unavailable = The system keyring is not available, so this profile is protected by its password alone. Keep the recovery sheet in a safe place.
error-profile-not-chosen = Several profiles exist on this computer: say which one (tirek profile list shows them)
error-too-many-attempts = Too many wrong attempts in a row. Wait { $seconds } seconds before trying again.
error-unknown-field = Tirek tried to save a field it does not know ({ $field }). This is a bug; nothing was saved. Tell your administrator.
error-not-a-backup = { $path } is not a Tirek backup, or it is damaged.
error-backup-folder-not-chosen = Choose a folder for backups first (Settings → Backups).
error-iin-length = An IIN has 12 digits; this one has { $count }.
error-iin-digits = An IIN has digits only; check for letters (O instead of 0) or dashes.
error-iin-century = The seventh digit of an IIN is 1 to 6 (century and sex); check it.
error-iin-date = The first six digits of an IIN are the birth date (YYMMDD); this is not a real date.
error-iin-checksum = This IIN's last digit does not match the others: a digit was probably mistyped or swapped.
error-iin-unissuable = No IIN is issued with these first eleven digits; check the number on the document.

## Form fields (caseload).
error-field-empty = This field is required.
error-field-too-long = Too long: at most { $max } characters.
error-field-control = Contains invisible control characters (pasted from elsewhere?); retype it.
error-iin-birth-date = The IIN encodes a different date of birth; check both.
error-phone-digits = A phone number has digits only (spaces, dashes, brackets and a leading +7 are fine).
error-phone-length = A phone number has 10 digits after +7 or 8; this one has { $count }.
error-date = Not a date: write it as 15.03.2019 or 2019-03-15.
error-date-future = This date has not come yet.
error-date-too-old = This date is more than 120 years ago.
error-date-before-birth = This date is before the child was born.
error-child-older-than-parent = The child would be born before the parent was ten; check both dates of birth.
error-icd10 = Not an ICD-10 code: a letter, two digits, and optionally a dot and one or two digits (G80.1).
error-choice = Choose one of the options offered.
error-district-not-in-region = This district is not in the region chosen.
error-out-of-range = Enter a whole number from { $min } to { $max }.
error-time = Write the time as HH:MM, for example 09:30.
error-withdrawn-before-given = A consent cannot be withdrawn before the date it was given.
error-consent-missing-record = The client has not consented to keeping their record; record the consent first.
error-consent-missing-server = The client has not consented to sending their record to the central server; nothing of theirs is shared.
error-consent-missing-referral = The client has not consented to referrals; record that consent before writing a referral.
error-record-final = This consultation is signed and cannot change; add an addendum instead.
error-not-signed = Sign the consultation first; until then, edit it directly.
