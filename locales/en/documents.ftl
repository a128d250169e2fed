# Printed documents.

recovery-sheet-title = Tirek — recovery key
recovery-sheet-profile = Profile: { $name }
recovery-sheet-created = Created: { $date }
recovery-sheet-keep = Keep this sheet in the clinic safe, never with the computer.
recovery-sheet-use = If the password is forgotten, or the profile or a backup must be opened on another computer, type this key in Tirek (“Forgot the password, or a new computer?”) or run: tirek profile recover
recovery-sheet-warning = Whoever holds this key and the profile's files can read every record in it. It is shown only this once and cannot be printed again.

## Shared by documents.
doc-clinic = Organisation
doc-bin = BIN
doc-signature = Signature
doc-date = Date

## The consent form.
consent-form-title = Consent to the collection and processing of personal data
consent-form-intro = I, { $name }, IIN { $iin }, date of birth { $birth }, give my consent to { $clinic } (the operator) to collect and process my personal data and those of my children for the purposes I have ticked below:
consent-form-purpose-record = keeping a record of my psychological counselling (consultations, questionnaires, plans) in the Tirek program on the clinic's computer;
consent-form-purpose-server = sending that record to the clinic's central server, located in Kazakhstan, where supervising psychologists may review it;
consent-form-purpose-referral = passing what a referral letter needs to the service or specialist I am referred to, in each case with my knowledge.
consent-form-data = Data collected: surname, name and patronymic; IIN; date of birth; phone and address; information about my family and my children, including their health, diagnoses and disability; what is said and decided in consultations; questionnaire answers and results.
consent-form-recipients = The data are not passed to anyone beyond the purposes ticked above, and are not transferred outside the Republic of Kazakhstan.
consent-form-term = This consent is valid until I withdraw it. I may withdraw it at any time, in writing or in person, for each purpose separately; withdrawal does not affect what was done lawfully before it.
consent-form-rights = I have been told that I may see my data, have them corrected, blocked or erased, and receive a copy of my record (Law of the Republic of Kazakhstan No. 94-V “On personal data and their protection”).
consent-form-signed-by = Given by (the client, or the legal representative with the document that confirms it)
consent-form-signed-by-hint = surname, name, patronymic; for a representative, also the basis of representation
consent-form-psychologist = Consent received by the psychologist: { $psychologist }

## A client's record, printed for the client.
record-title = Record of psychological counselling
record-printed-on = Printed on { $date } at the client's request
record-birth-date = Date of birth
record-iin = IIN
record-phone = Phone
record-address = Address
record-place = District
record-language = Preferred language
record-children = Children
record-special-needs = special educational needs
record-diagnosis = Diagnosis
record-consents = Consents
record-consent-given = { $scope }: given on { $date } by { $by }
record-consent-withdrawn = withdrawn on { $withdrawn }
record-consultations = Consultations
record-minutes = { $minutes } min
record-signed = signed
record-draft = draft, not signed
record-participants = Participants
record-concerns = Presenting concerns
record-interventions = Interventions
record-notes = Notes
record-plan = Plan
record-next-step = Next step
record-addendum = Addendum of
record-follow-ups = Follow-ups and appointments
record-done-on = done on { $date }
record-questionnaires = Questionnaires
results-date = Date
results-total = Score
results-band = Band
results-change = Change from the one before
results-not-validated = Some scores were taken in a translation that is not validated.

## The trend chart's legend, in the window and on paper ($points: the threshold as written; $count: the same as a number, for the plural).
chart-legend-worse = Reliably worse than the assessment before
chart-legend-better = Reliably better than the assessment before
chart-legend-flag = Raised a risk flag: a safety rule fired on this assessment
chart-legend-threshold = A change of { $points } { $count ->
    [one] point
   *[other] points
} or more since the assessment before is reliable.
chart-legend-threshold-provisional = A change of { $points } { $count ->
    [one] point
   *[other] points
} or more since the assessment before is reliable. Provisional threshold: it is not from a published test–retest figure, so read a change near it with care.
chart-point-provisional = provisional threshold

## The referral letter.
letter-title = Referral letter
letter-number = Outgoing No. { $number }
letter-date = Date: { $date }
letter-draft-number = (not yet issued)
letter-draft = DRAFT — not issued
letter-copy = COPY
letter-urgency-soon = Please see the family within days
letter-urgency-urgent = URGENT
letter-urgency = urgency: { $urgency }
letter-client = Client
letter-child = Child
letter-reason = Reason for referral
letter-findings = Findings
letter-results = Questionnaire results
letter-risk = Open risk flags
letter-service = Service requested
letter-consent = The client has given written consent to this referral and to the passing of the information in this letter to the recipient (Law of the Republic of Kazakhstan No. 94-V “On personal data and their protection”, Art. 8).
letter-psychologist = Psychologist
letter-stamp = Stamp
letter-qr = Letter's id and check
letter-birth-date = date of birth
letter-iin = IIN
letter-address = address
letter-phone = phone
letter-finding-score = { $name } on { $date }: { $total } ({ $band })
letter-flag-clinician = raised by the psychologist

## The parent's handout of services.
handout-title = Where to find support
handout-district = Services in { $district }
handout-intro = You do not have to manage alone. These services help families raising a child with a disability. Call before you go: the phone number is the quickest way in.
handout-none = No services of this district are in the directory yet. Ask your psychologist.
handout-phone = Phone: { $phone }
handout-given = Given by the psychologist { $psychologist } on { $date }.

## The one-page client summary.
summary-title = Client summary
summary-printed-on = Printed on { $date }
summary-scores = Latest questionnaire scores
summary-next = Next steps
summary-more = … and { $count } more
