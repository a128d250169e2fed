# The `tirek` command line.

cli-info-data-dir-writable = writable
cli-info-data-dir-not-writable = not writable
cli-info-language = Language
cli-password-prompt = Password:
cli-password-repeat = Repeat the password:
cli-old-password-prompt = Current password:
cli-new-password-prompt = New password:
cli-recovery-key-prompt = Recovery key:
cli-password-mismatch = The two passwords differ; nothing was changed
cli-secret-missing = Expected one more line on standard input (a password or recovery key); nothing was changed
cli-profile-created = Profile created: { $name } ({ $id })
cli-recovery-key-heading = Recovery key — shown only this once. Print it or write it down and keep it in the clinic safe; it opens the profile if the password is forgotten or the computer is replaced:
cli-password-changed = The password has been changed
cli-profile-deleted = The profile and everything in it have been deleted
cli-db-check-ok = The database is intact: SQLite and SQLCipher integrity checks found no damage
cli-no-profiles = No profiles on this computer yet. Create one with: tirek profile create --name "Your name"
cli-audit-intact = The audit trail is intact: every link of its hash chain holds
cli-audit-altered = The audit trail was tampered with: event { $id } was changed after it was written
cli-audit-missing = The audit trail was tampered with: event { $id } has been removed
cli-audit-witness-checked = Checked against the organisation's server, which had seen the trail up to event { $id }.
cli-audit-witness-unreachable = The organisation's server could not be reached, so the trail's last events were not checked against it.
cli-audit-witness-not-seen = The organisation's server has not received this trail yet, so its last events were checked only here.
cli-backup-created = The backup of { $name } has been written
cli-backup-verified = The backup of { $name } opens and passes the integrity checks
cli-backup-restored = The profile { $name } has been restored from the backup
cli-iin-valid = Valid IIN: born { $date }, { $sex ->
    [male] male
   *[female] female
}
cli-client-added = Client added: { $id }
cli-client-total = { $shown } shown of { $total }
cli-client-erased = The client's record has been erased (records removed: { $count }); the audit trail keeps that it happened
cli-consult-added = Consultation recorded: { $id }
cli-consult-signed = The consultation is signed; corrections are now addenda
cli-demo-seeded = Demo caseload added. Clients: { $clients }, consultations: { $consultations }
cli-field-birth-date = Date of birth
cli-field-iin = IIN
cli-field-phone = Phone
cli-field-place = District
cli-field-last-contact = Last contact
cli-field-child = Child
cli-unknown-language = Unknown language: use kk, ru or en
cli-clinic-not-set = The clinic's details are not set yet: tirek clinic set --name "…"
cli-service-example = example — replace with a real service
cli-service-import-what = Name a CSV file to import, or use --examples.
cli-services-imported = { $count } services added to the directory.
cli-instrument-ok = { $id }: the file is valid ({ $items } items)
cli-answer-not-a-number = Answer { $position } (“{ $answer }”) is not a number
cli-change-reliable-improvement = reliable improvement
cli-change-reliable-deterioration = reliable deterioration
cli-change-no-reliable-change = no reliable change
cli-instrument-imported = { $id }: imported ({ $items } items); it is now offered in the window
cli-schedule-added = { $instrument } scheduled; next due { $date }
