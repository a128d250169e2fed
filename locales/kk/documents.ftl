# Басып шығарылатын құжаттар.

recovery-sheet-title = Tirek — қалпына келтіру кілті
recovery-sheet-profile = Профиль: { $name }
recovery-sheet-created = Жасалған күні: { $date }
recovery-sheet-keep = Бұл парақты емхана сейфінде сақтаңыз, ешқашан компьютердің жанында емес.
recovery-sheet-use = Құпиясөз ұмытылса немесе профильді не сақтық көшірмені басқа компьютерде ашу керек болса, бұл кілтті Tirek-ке енгізіңіз («Құпиясөзді ұмыттыңыз ба, әлде бұл жаңа компьютер ме?») немесе орындаңыз: tirek profile recover
recovery-sheet-warning = Осы кілт пен профиль файлдары қолында бар адам ондағы барлық жазбаны оқи алады. Кілт тек бір рет көрсетіледі және қайта басып шығарылмайды.

## Shared by documents.
doc-clinic = Ұйым
doc-bin = БСН
doc-signature = Қолы
doc-date = Күні

## The consent form.
consent-form-title = Дербес деректерді жинауға және өңдеуге келісім
consent-form-intro = Мен, { $name }, ЖСН { $iin }, туған күні { $birth }, { $clinic } (операторға) менің және балаларымның дербес деректерін төменде белгіленген мақсаттарда жинауға және өңдеуге келісім беремін:
consent-form-purpose-record = емхана компьютеріндегі Tirek бағдарламасында менің психологиялық кеңес алуым туралы жазбаны (консультациялар, сауалнамалар, жоспарлар) жүргізу;
consent-form-purpose-server = осы жазбаны емхананың Қазақстанда орналасқан орталық серверіне жіберу, онда оны супервизор-психологтар қарай алады;
consent-form-purpose-referral = жолдамаға қажетті мәліметтерді мен жолданатын қызметке немесе маманға әр жолы менің хабардар болуыммен беру.
consent-form-data = Жиналатын деректер: тегі, аты, әкесінің аты; ЖСН; туған күні; телефоны мен мекенжайы; отбасы мен балалар туралы мәліметтер, соның ішінде олардың денсаулығы, диагноздары және мүгедектігі; консультациялардың мазмұны мен қабылданған шешімдер; сауалнамалардың жауаптары мен нәтижелері.
consent-form-recipients = Деректер белгіленген мақсаттардан тыс ешкімге берілмейді және Қазақстан Республикасының шегінен тыс жіберілмейді.
consent-form-term = Келісім кері қайтарылғанға дейін күшінде болады. Мен оны кез келген уақытта, жазбаша немесе жеке өзім, әр мақсат бойынша бөлек кері қайтара аламын; кері қайтару оған дейін заңды түрде жасалған әрекеттерге әсер етпейді.
consent-form-rights = Маған өз деректеріммен танысуға, оларды түзетуді, бұғаттауды немесе жоюды талап етуге және өз жазбамның көшірмесін алуға құқылы екенім түсіндірілді (Қазақстан Республикасының «Дербес деректер және оларды қорғау туралы» № 94-V Заңы).
consent-form-signed-by = Келісім берген (клиент немесе растайтын құжаты бар заңды өкіл)
consent-form-signed-by-hint = тегі, аты, әкесінің аты; өкіл үшін — өкілдік етудің негізі де
consent-form-psychologist = Келісімді қабылдаған психолог: { $psychologist }

## A client's record, printed for the client.
record-title = Психологиялық кеңес беру жазбасы
record-printed-on = Клиенттің сұрауы бойынша { $date } басып шығарылды
record-birth-date = Туған күні
record-iin = ЖСН
record-phone = Телефон
record-address = Мекенжай
record-place = Аудан
record-language = Қалаған тілі
record-children = Балалар
record-special-needs = ерекше білім беру қажеттіліктері
record-diagnosis = Диагноз
record-consents = Келісімдер
record-consent-given = { $scope }: { $date } берілді, { $by }
record-consent-withdrawn = { $withdrawn } кері қайтарылды
record-consultations = Консультациялар
record-minutes = { $minutes } мин
record-signed = қол қойылған
record-draft = жоба, қол қойылмаған
record-participants = Қатысушылар
record-concerns = Жүгіну себебі
record-interventions = Араласулар
record-notes = Ескертпелер
record-plan = Жоспар
record-next-step = Келесі қадам
record-addendum = Толықтыру, күні
record-follow-ups = Қайта байланыстар мен қабылдаулар
record-done-on = { $date } орындалды
record-questionnaires = Сауалнамалар
results-date = Күні
results-total = Балл
results-band = Деңгейі
results-change = Алдыңғысымен салыстырғанда
results-not-validated = Кейбір балдар валидацияланбаған аудармада алынған.

## The trend chart's legend, in the window and on paper ($points: the threshold as written; $count: the same as a number, for the plural).
chart-legend-worse = Алдыңғы бағалаумен салыстырғанда сенімді нашарлау
chart-legend-better = Алдыңғы бағалаумен салыстырғанда сенімді жақсару
chart-legend-flag = Қауіп белгісі қойылды: осы бағалауда қауіпсіздік ережесі іске қосылды
chart-legend-threshold = Алдыңғы бағалаудан бері { $points } { $count ->
   *[other] балл
} және одан көп өзгеріс сенімді деп саналады.
chart-legend-threshold-provisional = Алдыңғы бағалаудан бері { $points } { $count ->
   *[other] балл
} және одан көп өзгеріс сенімді деп саналады. Шек алдын ала: ол жарияланған ретест сенімділігі деректерінен алынбаған, сондықтан оған жақын өзгерісті сақтықпен бағалаңыз.
chart-point-provisional = алдын ала шек

## Жолдама.
letter-title = Жолдама
letter-number = Шығыс № { $number }
letter-date = Күні: { $date }
letter-draft-number = (әлі берілмеген)
letter-draft = ЖОБА — берілмеген
letter-copy = КӨШІРМЕ
letter-urgency-soon = Отбасын жақын күндері қабылдауыңызды сұраймыз
letter-urgency-urgent = ШҰҒЫЛ
letter-urgency = шұғылдығы: { $urgency }
letter-client = Клиент
letter-child = Бала
letter-reason = Жолдау себебі
letter-findings = Психолог қорытындысы
letter-results = Сауалнама нәтижелері
letter-risk = Ашық қауіп белгілері
letter-service = Сұралатын қызмет
letter-consent = Клиент осы жолдамаға және хаттағы мәліметтерді алушыға беруге жазбаша келісім берді (Қазақстан Республикасының «Дербес деректер және оларды қорғау туралы» № 94-V Заңы, 8-бап).
letter-psychologist = Психолог
letter-stamp = М. О.
letter-qr = Хаттың идентификаторы мен бақылау сомасы
letter-birth-date = туған күні
letter-iin = ЖСН
letter-address = мекенжайы
letter-phone = телефоны
letter-finding-score = { $name }, { $date }: { $total } ({ $band })
letter-flag-clinician = психолог белгіледі

## Ата-анаға арналған қызметтер парағы.
handout-title = Қолдауды қайдан табуға болады
handout-district = Қызметтер: { $district }
handout-intro = Сіз жалғыз күресуге міндетті емессіз. Бұл қызметтер мүгедек бала тәрбиелеп отырған отбасыларға көмектеседі. Барар алдында қоңырау шалыңыз: телефон арқылы жазылу ең жылдам жол.
handout-none = Анықтамалықта бұл ауданның қызметтері әлі жоқ. Психологыңыздан сұраңыз.
handout-phone = Телефоны: { $phone }
handout-given = Психолог { $psychologist } берді, { $date }.

## Клиент туралы қысқаша мәлімет.
summary-title = Клиент туралы қысқаша мәлімет
summary-printed-on = Басып шығарылған күні: { $date }
summary-scores = Сауалнамалардың соңғы нәтижелері
summary-next = Келесі қадамдар
summary-more = … тағы { $count }
