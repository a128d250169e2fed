# Printed documents.

recovery-sheet-title = Tirek — recovery key
recovery-sheet-profile = Profile: { $name }
recovery-sheet-created = Created: { $date }
recovery-sheet-keep = Keep this sheet in the clinic safe, never with the computer.
recovery-sheet-use = If the password is forgotten, or the profile or a backup must be opened on another computer, type this key in Tirek (“Forgot the password, or a new computer?”) or run: tirek profile recover
recovery-sheet-warning = Whoever holds this key and the profile's files can read every record in it. It is shown only this once and cannot be printed again.
