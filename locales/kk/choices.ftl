# The stored codes of the caseload's choices, as people read them: shared by the
# window, the command line and printed documents.

choice-format-individual = Жеке
choice-format-group = Топтық
choice-format-online = Онлайн
choice-format-home_visit = Үйге бару
choice-disability-none = Мүгедектік белгіленбеген
choice-disability-child = Мүгедектігі бар бала (16 жасқа дейін)
choice-disability-group_1 = I топтағы мүгедектік
choice-disability-group_2 = II топтағы мүгедектік
choice-disability-group_3 = III топтағы мүгедектік
choice-irp-none = Оңалту бағдарламасы жоқ
choice-irp-in_preparation = ЖОБ әзірленуде
choice-irp-active = ЖОБ күшінде
choice-irp-completed = ЖОБ орындалды
choice-irp-expired = ЖОБ мерзімі өтті
choice-scope-record = Жазбаны жүргізу
choice-scope-server = Орталық сервер
choice-scope-referral = Жолдамалар
choice-given_by-client = Клиент
choice-given_by-representative = Заңды өкіл
choice-method-signed_paper = Қол қойылған қағаз нысан
choice-method-verbal_witness = Ауызша, куәгердің қатысуымен
choice-kind-follow_up = Қайта байланыс
choice-kind-appointment = Қабылдау
choice-kind-call = Қоңырау
choice-kind-questionnaire = Сауалнаманы толтыру мерзімі
choice-intervention-psychoeducation = Психобілім беру
choice-intervention-supportive_counselling = Қолдаушы кеңес беру
choice-intervention-stress_management = Стрессті басқару, релаксация
choice-intervention-cbt = Когнитивті-мінез-құлықтық әдістер
choice-intervention-problem_solving = Мәселелерді шешу
choice-intervention-family_counselling = Отбасылық кеңес беру
choice-intervention-crisis = Дағдарыстық араласу, қауіпсіздік жоспары
choice-intervention-services_information = Қызметтер мен құқықтар туралы ақпарат
choice-intervention-peer_support = Ата-аналар тобына бағыттау
choice-intervention-self_care = Өзіне қамқорлық жоспары
