# The stored codes of the caseload's choices, as people read them: shared by the
# window, the command line and printed documents.

choice-format-individual = Individual
choice-format-group = Group
choice-format-online = Online
choice-format-home_visit = Home visit
choice-disability-none = No disability established
choice-disability-child = Child with a disability (under 16)
choice-disability-group_1 = Disability group I
choice-disability-group_2 = Disability group II
choice-disability-group_3 = Disability group III
choice-irp-none = No rehabilitation programme
choice-irp-in_preparation = Programme being prepared
choice-irp-active = Programme in force
choice-irp-completed = Programme completed
choice-irp-expired = Programme expired
choice-scope-record = Keeping the record
choice-scope-server = Central server
choice-scope-referral = Referrals
choice-given_by-client = The client
choice-given_by-representative = Legal representative
choice-method-signed_paper = Signed paper form
choice-method-verbal_witness = Verbal, with a witness
choice-kind-follow_up = Follow-up
choice-kind-appointment = Appointment
choice-kind-call = Phone call
choice-kind-questionnaire = Questionnaire due
choice-intervention-psychoeducation = Psychoeducation
choice-intervention-supportive_counselling = Supportive counselling
choice-intervention-stress_management = Stress management and relaxation
choice-intervention-cbt = Cognitive-behavioural techniques
choice-intervention-problem_solving = Problem solving
choice-intervention-family_counselling = Family counselling
choice-intervention-crisis = Crisis intervention, safety plan
choice-intervention-services_information = Information on services and rights
choice-intervention-peer_support = Link to a parents' peer group
choice-intervention-self_care = Self-care plan
