# The caseload screens: the list, the client form and page, consultations and the agenda.

## Shared words.
back = Back
back-to-caseload = Back to the caseload
back-to-client = Back to the client
cancel = Cancel
save = Save
saving = Saving…
edit = Edit
date-placeholder = DD.MM.YYYY
today = Today
time-placeholder = HH:MM
form-fix-fields = Nothing was saved yet: correct the fields marked below. What you typed is kept.
age-years = { $years ->
    [one] { $years } year
   *[other] { $years } years
}
minutes = { $minutes } min

## Names the window alone shows (the stored choices are in choices.ftl).
timeline-kind-consultation = Consultation
timeline-kind-consent_given = Consent given
timeline-kind-consent_withdrawn = Consent withdrawn
timeline-kind-follow_up = Follow-up planned
timeline-kind-follow_up_done = Follow-up done
timeline-kind-assessment = Questionnaire
timeline-kind-flag_raised = Risk flag raised
timeline-kind-flag_resolved = Risk flag resolved
language-name-kk = Kazakh
language-name-ru = Russian
language-name-en = English

weekday-0 = Sunday
weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday

## The caseload list.
caseload-empty-start = Register the first parent or guardian you counsel. Their children, consents, consultations and follow-ups will be kept together on their page.
caseload-search-label = Search
caseload-search-placeholder = Name in Cyrillic or Latin letters, IIN or phone
caseload-new-client = New client
caseload-filter-district = District
caseload-filter-district-any = All districts
caseload-filter-no-contact = No contact for
caseload-filter-no-contact-any = Any time
caseload-filter-no-contact-days = { $days } days or more
caseload-filter-overdue = Overdue follow-up
caseload-filter-archived = Archived clients
caseload-sort = Sort by
caseload-sort-name = Name
caseload-sort-last-contact = Last contact
caseload-sort-next-due = Next follow-up
caseload-total = { $count ->
    [one] { $count } client
   *[other] { $count } clients
}
caseload-showing-archived = Archive
caseload-shown = { $shown } of { $total } shown
caseload-show-more = Show more
caseload-no-match = No client matches. Check the spelling, or clear a filter.
caseload-list-label = Clients
caseload-col-name = Name
caseload-col-place = District
caseload-col-phone = Phone
caseload-col-last-contact = Last contact
caseload-col-next-due = Next follow-up
caseload-never = Not yet
caseload-overdue = Overdue

## The client form.
client-form-new-heading = New client
client-form-edit-heading = Edit client
client-form-hint = The parent or guardian you counsel. Only the family and given names are required; the rest can be added later.
client-form-names = Name
client-form-identity = Identity and contact
client-form-place = Where they live
client-family-name = Family name
client-given-name = Given name
client-patronymic = Patronymic
client-latin-name = Name in Latin letters
client-latin-name-hint = As in the passport, if known.
client-iin = IIN
client-birth-date = Date of birth
client-phone = Phone
client-language = Preferred language
client-region = Region
client-region-none = Not chosen
client-district = District or city
client-district-none = Not chosen
client-district-region-first = Choose the region first
client-address = Address
client-save-new = Register client
client-save = Save changes

## The client page.
client-place = Place
client-children = Children
client-last-contact = Last contact
client-next-follow-up = Next follow-up
client-archived-tag = Archived
client-read-only-tag = Read-only
client-read-only-body = This client was moved to a colleague, who keeps the record now. You can read and print the history you had here, but not add to it or change it.
client-edit = Edit details
client-archive = Archive
client-unarchive = Bring back from archive
client-archived = The client has been archived. Find them with the "Archived clients" filter.
client-unarchived = The client is back in the caseload.
client-export = Export record
client-record-pdf = Record as PDF
client-erase = Erase…
consultation-new = New consultation

children-heading = Children
children-none = No children recorded yet.
child-add = Add child
child-add-heading = Add a child
child-edit-heading = Edit the child's details
child-name = Name
child-birth-date = Date of birth
child-iin = IIN
child-disability = Disability
child-special-needs = Special educational needs
child-special-needs-short = special educational needs
child-diagnosis = Diagnosis
child-icd10 = ICD-10 code
child-diagnosed-on = Date of diagnosis
child-irp-status = Individual rehabilitation programme

consent-heading = Consent
consent-chip-given = { $scope }: given
consent-chip-missing = { $scope }: not given
consent-none-recorded = No consent recorded yet. Record the client's consent to keeping their record first.
consent-add = Record consent
consent-add-heading = Record a consent
consent-scope = What it covers
consent-scope-hint-record = Consent to keeping the client's record in Tirek on this computer.
consent-scope-hint-server = Consent to sending the record to the central server, where the supervisor can see it.
consent-scope-hint-referral = Consent to sharing what a referral letter needs with the service referred to.
consent-given-by = Given by
consent-representative = Representative's name
consent-method = How
consent-witness = Witness
consent-given-on = Date given
consent-given-on-date = given { $date }
consent-by-representative = by representative { $name }
consent-print = Consent form (PDF)
consent-save = Save consent
consent-withdraw = Withdraw
consent-withdrawn-on = Withdrawn { $date }
consent-withdraw-heading = Withdraw this consent
consent-withdraw-body = From this date on, the consent no longer applies. What was recorded before stays in the record.
consent-withdraw-date = Date of withdrawal

followups-heading = Follow-ups
followups-none = No follow-ups planned.
followup-add = Plan follow-up
followup-add-heading = Plan a follow-up
followup-from-next-step = Create follow-up from next step
followup-from-next-step-heading = Follow-up from this consultation's next step
followup-kind = Kind
followup-due-on = Due date
followup-time = Time
followup-note = Note
followup-save = Save follow-up
followup-added = The follow-up has been added to the agenda.
followup-done-on = done { $date }

timeline-heading = Timeline
timeline-none = Nothing has happened yet.
consultation-signed-tag = Signed
consultation-draft-tag = Draft

erase-heading = Erase this client?
erase-body = Erasure cannot be undone: the client, their children, consents, consultations and follow-ups are removed from this computer for good. The audit trail keeps only the fact of the erasure. Backups made earlier still hold the record until they are replaced (after the number of days kept in Settings → Backups); files exported earlier are not touched.
erase-export-first = If the client asked to see their data, export the record before erasing it.
erase-type-name = To confirm, type the family name: { $name }
erase-button = Erase for good

## The consultation editor.
consultation-heading = Consultation of { $date }
consult-format = Format
consult-held-on = Date
consult-duration = Duration, minutes
consult-duration-placeholder = 50
consult-participants = Participants
consult-participants-placeholder = Mother, father, grandmother…
consult-concerns = Presenting concerns
consult-interventions = Interventions
consult-interventions-other = Other interventions
consult-notes = Notes
consult-plan = Plan
consult-next-step = Next step
consult-concerns-or-notes = Presenting concerns or notes
consult-attendee = Client:
consult-attendees-group = Attendees:
consult-add-attendee = Group session: add a client
consult-add-attendee-placeholder = Name, IIN or phone
consult-remove-attendee = Take { $name } off this session
consult-autosave = Draft — saved as you type
consult-saving = Saving…
consult-saved-at = Saved at { $time }
consult-saved-with-problems = Saved at { $time }, except the fields marked
consult-save-failed = Not saved
consult-missing = Before signing, fill in: { $fields }
consult-ready-to-sign = Everything needed for signing is filled in.
consult-sign = Sign
consult-discard = Discard this draft
consult-discard-heading = Discard this draft?
consult-discard-body = The draft and its attendance go away, as if it had not been started. Use this for a consultation started by mistake; a signed one can never be discarded.
consult-sign-heading = Sign this consultation?
consult-sign-body = A signed consultation cannot be changed; corrections are added as addenda.
consult-signed-at = Signed { $moment }
addenda-heading = Addenda
addenda-hint = The consultation is signed and final. Add corrections and later notes here; each is dated.
addendum-label = New addendum
addendum-add = Add addendum

## The agenda.
agenda-day = Day
agenda-week = Week
agenda-span-label = Show
agenda-prev-day = Previous day
agenda-next-day = Next day
agenda-prev-week = Previous week
agenda-next-week = Next week
agenda-today = Today
agenda-today-tag = Today
agenda-overdue = Overdue ({ $count })
agenda-overdue-hint = Past their date and not yet done. Tick them off when done, or plan them again.
agenda-nothing-heading = Nothing due
agenda-nothing-body = No follow-ups, appointments or calls fall due here, and nothing is overdue. Plan them from a client's page.
agenda-nothing-this-day = Nothing planned for this day.
agenda-nothing-this-week = Nothing planned for this week.
agenda-done-label = Done: { $name }
agenda-done-tag = Done
agenda-start-consultation = Record a consultation
agenda-fill-in = Fill in

## Risk flags: a banner that cannot be dismissed and a risk form signed by the psychologist.
risk-banner-heading = Open risk flag
risk-raised-by-psychologist = Raised by the psychologist
risk-raised-at = Raised { $moment }
risk-form-signed-at = Risk form signed { $moment }
risk-form-not-signed = Risk form not signed yet
risk-form-heading = Risk form
risk-form-hint = A structured risk assessment, signed by you. The client's consultations cannot be signed until it is.
risk-level = Level of risk
risk-level-choose = Choose a level
risk-level-low = Low
risk-level-moderate = Moderate
risk-level-high = High
risk-level-imminent = Imminent
risk-actions = Actions taken
risk-actions-help = What you did today: the conversation, who was told, any referral.
risk-safety-plan = Safety plan
risk-safety-plan-help = Warning signs, what helps, people and places to turn to, making the surroundings safe.
risk-contacts = Contacts
risk-contacts-help = Whom the client can call in a crisis: people they trust, services. The emergency number in Kazakhstan is 112.
risk-sign = Sign the risk form
risk-sign-heading = Sign the risk form?
risk-sign-body = A signed risk form cannot be changed; it is kept with the time of signing. The flag stays open until you resolve it.
risk-resolve = Resolve
risk-resolve-heading = Resolve this risk flag?
risk-resolve-hint = The flag stays on the client's page until it is resolved.
risk-resolution = Resolution
risk-resolution-help = Why the flag is no longer needed: what changed, what was agreed, what follows.
risk-resolved-at = resolved { $moment }
risk-history = Resolved risk flags ({ $count })
risk-raise = Raise a risk flag

## Questionnaires on the client's page.
assessments-heading = Questionnaires
assessments-none = No questionnaires yet.
assessment-fill = Fill in a questionnaire
assessment-no-total = no total: too many items unanswered
assessment-change-reliable_improvement = Reliable improvement
assessment-change-reliable_deterioration = Reliable deterioration
assessment-change-no_reliable_change = No reliable change
assessment-change-with-threshold = { $change } (threshold { $points } { $points ->
    [one] point
   *[other] points
})
assessment-provisional = provisional threshold
assessment-provisional-hint = The threshold is not from a published test–retest figure: read the change with care.
assessment-not-validated = Translation not validated
assessment-not-validated-note = The wording in this language is the app's own translation, not a validated version. Compare scores with the published bands with care.
assessment-flagged = Risk flag raised
assessment-trend-label = { $name }: totals over time, { $count ->
    [one] one assessment
   *[other] { $count } assessments
}

assessment-item-number = Item { $number }
assessment-items-show = Answers item by item
assessment-items-item = Item
assessment-items-reverse = scored in reverse
assessment-items-unanswered = not answered

## Giving a questionnaire.
assessment-form-heading = Fill in a questionnaire
assessment-form-heading-for = Questionnaire for { $name }
assessment-instrument = Questionnaire
assessment-instrument-licensed = { $name } — needs the clinic's licensed text
assessment-licensed-hint = A questionnaire that needs a licensed text can be given once the clinic installs that text.
assessment-language = Language
assessment-language-not-validated = { $language } (translation not validated)
assessment-by = Who fills it in
assess-by-clinician = The psychologist, reading aloud
assess-by-parent = The parent, on the screen
assessment-taken-on = Date
assessment-clear-answer = Clear the answer
assessment-total = Total
assessment-answered = { $answered } of { $count } answered
assessment-flag-hint = Saving raises a risk flag on the client's page: its risk form must be signed before the consultation can be signed.
assessment-save = Save the questionnaire

## The parent answering on the screen (shown in the questionnaire's language).
parent-mode-hint = The parent can answer alone, one question at a time in large type. You will need your password to return.
parent-mode-start = Hand the screen to the parent
parent-progress-label = Question { $current } of { $count }
parent-prev = Previous
parent-next = Next
parent-done = Finish
parent-thanks = Thank you — please hand the screen back
parent-hand-back = The psychologist will enter their password to continue.
parent-exit-label = Psychologist's password
parent-exit = Continue
parent-exit-cancel = Back to the questions
parent-exit-locked = The profile is locked. Unlock Tirek to continue.
parent-staff-exit = For the psychologist: end

## Risk on the caseload and in the consultation editor.
caseload-filter-open-flags = Open risk flags
caseload-flag-badge = { $count ->
    [one] Risk flag
   *[other] { $count } risk flags
}
consult-open-risk-form = Open the client's risk form

## The signing section and the client page's actions (what is most used first).
consult-risk-form-needed = Signing waits for the risk form: { $names } has an open risk flag without a signed risk form.
consult-sign-what = You are signing the consultation with { $names } held on { $date } ({ $format }).
consult-sign-confirm = Sign, making it final
client-papers = Print or save
client-more = More
client-summary-hint = One page for a colleague or the next visit
client-handout-hint = The district's support services, for the parent
client-record-pdf-hint = Everything about the client, when they ask to see it
client-export-hint = All data in one file (JSON), when they ask to take it elsewhere
risk-raise-hint = Your own judgement that this family needs a safety check
client-archive-hint = Hidden from the caseload; nothing is deleted
client-erase-hint = On the client's request: deletes the record for good
followups-none-risk = No follow-up is planned although a risk flag is open: plan the next contact.

## A follow-up date read from the next step's words.
followup-due-suggested = Suggested from the next step: check the date.
