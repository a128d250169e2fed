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
