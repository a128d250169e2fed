# Клиенттер экрандары: тізім, клиент сауалнамасы мен парағы, консультациялар және күнтізбе.

## Ортақ сөздер.
back = Артқа
back-to-caseload = Клиенттер тізіміне
back-to-client = Клиент парағына
cancel = Бас тарту
save = Сақтау
saving = Сақталуда…
edit = Өзгерту
date-placeholder = КК.АА.ЖЖЖЖ
today = Бүгін
time-placeholder = СС:ММ
form-fix-fields = Әзірге ештеңе сақталған жоқ: белгіленген өрістерді түзетіңіз. Енгізгеніңіз жоғалмайды.
age-years = { $years } жас
minutes = { $minutes } мин

## Тек терезе көрсететін атаулар (сақталатын нұсқалар choices.ftl файлында).
timeline-kind-consultation = Консультация
timeline-kind-consent_given = Келісім берілді
timeline-kind-consent_withdrawn = Келісім кері қайтарылды
timeline-kind-follow_up = Қайта байланыс жоспарланды
timeline-kind-follow_up_done = Қайта байланыс орындалды
timeline-kind-assessment = Сауалнама
timeline-kind-flag_raised = Қауіп белгісі қойылды
timeline-kind-flag_resolved = Қауіп белгісі жабылды
language-name-kk = Қазақ тілі
language-name-ru = Орыс тілі
language-name-en = Ағылшын тілі

weekday-0 = Жексенбі
weekday-1 = Дүйсенбі
weekday-2 = Сейсенбі
weekday-3 = Сәрсенбі
weekday-4 = Бейсенбі
weekday-5 = Жұма
weekday-6 = Сенбі

## Клиенттер тізімі.
caseload-empty-start = Өзіңіз кеңес беретін алғашқы ата-ананы немесе қамқоршыны тіркеңіз. Оның балалары, келісімдері, консультациялары мен қайта байланыстары бір парақта жиналады.
caseload-search-label = Іздеу
caseload-search-placeholder = Аты-жөні кирилше не латынша, ЖСН немесе телефон
caseload-new-client = Жаңа клиент
caseload-filter-district = Аудан
caseload-filter-district-any = Барлық аудандар
caseload-filter-no-contact = Байланыс болмағанына
caseload-filter-no-contact-any = Маңызды емес
caseload-filter-no-contact-days = { $days } күн және одан көп
caseload-filter-overdue = Мерзімі өткен байланыс
caseload-filter-archived = Мұрағаттағы клиенттер
caseload-sort = Сұрыптау
caseload-sort-name = Аты-жөні бойынша
caseload-sort-last-contact = Соңғы байланыс бойынша
caseload-sort-next-due = Келесі байланыс бойынша
caseload-total = { $count } клиент
caseload-showing-archived = Мұрағат
caseload-shown = { $total } ішінен { $shown } көрсетілді
caseload-show-more = Тағы көрсету
caseload-no-match = Ешкім табылмады. Жазылуын тексеріңіз немесе сүзгіні алып тастаңыз.
caseload-list-label = Клиенттер
caseload-col-name = Аты-жөні
caseload-col-place = Аудан
caseload-col-phone = Телефон
caseload-col-last-contact = Соңғы байланыс
caseload-col-next-due = Келесі байланыс
caseload-never = Әлі болған жоқ
caseload-overdue = Мерзімі өткен

## Клиент сауалнамасы.
client-form-new-heading = Жаңа клиент
client-form-edit-heading = Клиенттің деректері
client-form-hint = Сіз кеңес беретін ата-ана немесе қамқоршы. Тек тегі мен аты міндетті; қалғанын кейін қосуға болады.
client-form-names = Аты-жөні
client-form-identity = Құжаттар және байланыс
client-form-place = Тұрғылықты жері
client-family-name = Тегі
client-given-name = Аты
client-patronymic = Әкесінің аты
client-latin-name = Латын әрпімен аты-жөні
client-latin-name-hint = Жеке куәліктегідей, белгілі болса.
client-iin = ЖСН
client-birth-date = Туған күні
client-phone = Телефон
client-language = Қалаған тілі
client-region = Облыс
client-region-none = Таңдалмаған
client-district = Аудан немесе қала
client-district-none = Таңдалмаған
client-district-region-first = Алдымен облысты таңдаңыз
client-address = Мекенжайы
client-save-new = Тіркеу
client-save = Өзгерістерді сақтау

## Клиент парағы.
client-place = Орны
client-children = Балалары
client-last-contact = Соңғы байланыс
client-next-follow-up = Келесі байланыс
client-archived-tag = Мұрағатта
client-read-only-tag = Тек оқу
client-read-only-body = Клиент әріптесіңізге берілді, енді оның картасын сол жүргізеді. Мұндағы бұрынғы тарихты оқып, басып шығаруға болады, бірақ толықтыруға не өзгертуге болмайды.
client-edit = Деректерді өзгерту
client-archive = Мұрағатқа жіберу
client-unarchive = Мұрағаттан қайтару
client-archived = Клиент мұрағатқа жіберілді. Оны «Мұрағаттағы клиенттер» сүзгісімен табуға болады.
client-unarchived = Клиент тізімге қайтарылды.
client-export = Жазбаны экспорттау
client-record-pdf = Жазба PDF түрінде
client-erase = Өшіру…
consultation-new = Жаңа консультация

children-heading = Балалары
children-none = Балалар әлі енгізілмеген.
child-add = Бала қосу
child-add-heading = Жаңа бала
child-edit-heading = Баланың деректері
child-name = Аты
child-birth-date = Туған күні
child-iin = ЖСН
child-disability = Мүгедектік
child-special-needs = Ерекше білім беру қажеттіліктері
child-special-needs-short = ерекше білім беру қажеттіліктері
child-diagnosis = Диагнозы
child-icd10 = АХЖ-10 коды
child-diagnosed-on = Диагноз қойылған күн
child-irp-status = Жеке оңалту бағдарламасы

consent-heading = Келісім
consent-chip-given = { $scope }: бар
consent-chip-missing = { $scope }: жоқ
consent-none-recorded = Келісімдер әлі жоқ. Алдымен клиенттің жазба жүргізуге келісімін рәсімдеңіз.
consent-add = Келісімді рәсімдеу
consent-add-heading = Жаңа келісім
consent-scope = Келісім мақсаты
consent-scope-hint-record = Tirek бағдарламасында осы компьютерде клиент туралы жазба жүргізуге келісім.
consent-scope-hint-server = Жазбаны супервизор көре алатын орталық серверге жіберуге келісім.
consent-scope-hint-referral = Жолдамаға қажет мәліметтерді жолдама берілетін қызметке беруге келісім.
consent-given-by = Кім берді
consent-representative = Өкілдің аты-жөні
consent-method = Қалай берілді
consent-witness = Куәгер
consent-given-on = Келісім күні
consent-given-on-date = { $date } берілген
consent-by-representative = өкіл: { $name }
consent-print = Келісім бланкісі (PDF)
consent-save = Келісімді сақтау
consent-withdraw = Кері қайтару
consent-withdrawn-on = { $date } кері қайтарылған
consent-withdraw-heading = Осы келісімді кері қайтару
consent-withdraw-body = Осы күннен бастап келісім күшін жояды. Бұрын жазылғандар жазбада қалады.
consent-withdraw-date = Кері қайтару күні

followups-heading = Қайта байланыстар
followups-none = Ештеңе жоспарланбаған.
followup-add = Жоспарлау
followup-add-heading = Байланысты жоспарлау
followup-from-next-step = Келесі қадамды жоспарлау
followup-from-next-step-heading = Осы консультацияның келесі қадамы бойынша байланыс
followup-kind = Түрі
followup-due-on = Күні
followup-time = Уақыты
followup-note = Ескертпе
followup-save = Сақтау
followup-added = Байланыс күнтізбеге қосылды.
followup-done-on = { $date } орындалды

timeline-heading = Тарихы
timeline-none = Әзірге ештеңе болған жоқ.
consultation-signed-tag = Қол қойылған
consultation-draft-tag = Жоба

erase-heading = Клиентті өшіресіз бе?
erase-body = Өшіру қайтымсыз: клиент, оның балалары, келісімдері, консультациялары мен қайта байланыстары осы компьютерден біржола жойылады. Аудит журналында тек өшіру туралы белгі қалады. Бұрын жасалған сақтық көшірмелерде жазба олар ауыстырылғанша сақталады (Баптаулар → Сақтық көшірмелер бөлімінде көрсетілген күн санынан кейін); бұрын экспортталған файлдарға әсер етпейді.
erase-export-first = Егер клиент өз деректерін көрсетуді сұраса, өшірмес бұрын жазбаны экспорттаңыз.
erase-type-name = Растау үшін клиенттің тегін енгізіңіз: { $name }
erase-button = Біржола өшіру

## Консультация.
consultation-heading = { $date } күнгі консультация
consult-format = Өткізу түрі
consult-held-on = Күні
consult-duration = Ұзақтығы, минут
consult-duration-placeholder = 50
consult-participants = Қатысушылар
consult-participants-placeholder = Анасы, әкесі, әжесі…
consult-concerns = Жүгіну себебі
consult-interventions = Араласулар
consult-interventions-other = Басқа араласулар
consult-notes = Ескертпелер
consult-plan = Жоспар
consult-next-step = Келесі қадам
consult-concerns-or-notes = Жүгіну себебі немесе ескертпелер
consult-attendee = Клиент:
consult-attendees-group = Қатысушылар:
consult-add-attendee = Топтық сессия: клиент қосу
consult-add-attendee-placeholder = Аты, ЖСН немесе телефоны
consult-remove-attendee = Сессиядан шығару: { $name }
consult-autosave = Жоба — теру барысында сақталады
consult-saving = Сақталуда…
consult-saved-at = { $time } сақталды
consult-saved-with-problems = { $time } сақталды, белгіленген өрістерден басқасы
consult-save-failed = Сақталмады
consult-missing = Қол қою үшін толтырыңыз: { $fields }
consult-ready-to-sign = Қол қоюға қажеттінің бәрі толтырылған.
consult-sign = Қол қою
consult-discard = Жобаны жою
consult-discard-heading = Бұл жобаны жоясыз ба?
consult-discard-body = Жоба мен қатысу белгісі басталмағандай жойылады. Мұны қателесіп басталған консультация үшін қолданыңыз; қол қойылғанын жоюға болмайды.
consult-sign-heading = Консультацияға қол қоясыз ба?
consult-sign-body = Қол қойылған консультацияны өзгертуге болмайды; түзетулер толықтыру ретінде қосылады.
consult-signed-at = { $moment } қол қойылған
addenda-heading = Толықтырулар
addenda-hint = Консультацияға қол қойылған, ол түпкілікті. Түзетулер мен кейінгі жазбаларды осында қосыңыз; әрқайсысының күні сақталады.
addendum-label = Жаңа толықтыру
addendum-add = Толықтыру қосу

## Күнтізбе.
agenda-day = Күн
agenda-week = Апта
agenda-span-label = Көрсету
agenda-prev-day = Алдыңғы күн
agenda-next-day = Келесі күн
agenda-prev-week = Алдыңғы апта
agenda-next-week = Келесі апта
agenda-today = Бүгін
agenda-today-tag = Бүгін
agenda-overdue = Мерзімі өткен ({ $count })
agenda-overdue-hint = Мерзімі өтті, бірақ орындалды деп белгіленбеген. Орындалғанын белгілеңіз немесе қайта жоспарлаңыз.
agenda-nothing-heading = Ештеңе жоспарланбаған
agenda-nothing-body = Бұл күндерге байланыс, қабылдау немесе қоңырау жоқ, мерзімі өткені де жоқ. Оларды клиенттің парағынан жоспарлаңыз.
agenda-nothing-this-day = Бұл күнге ештеңе жоспарланбаған.
agenda-nothing-this-week = Бұл аптаға ештеңе жоспарланбаған.
agenda-done-label = Орындалды: { $name }
agenda-done-tag = Орындалды
agenda-start-consultation = Консультацияны жазу
agenda-fill-in = Толтыру

## Қауіп белгілері: жасыруға болмайтын хабарлама және психолог қол қоятын қауіпті бағалау нысаны.
risk-banner-heading = Ашық қауіп белгісі
risk-raised-by-psychologist = Психолог белгілеген
risk-raised-at = Белгіленген уақыты: { $moment }
risk-form-signed-at = Қауіпті бағалау нысанына қол қойылды: { $moment }
risk-form-not-signed = Қауіпті бағалау нысанына әлі қол қойылмаған
risk-form-heading = Қауіпті бағалау нысаны
risk-form-hint = Сіз қол қоятын құрылымдалған қауіп бағалауы. Оған қол қойылмайынша, клиенттің консультацияларына қол қоюға болмайды.
risk-level = Қауіп деңгейі
risk-level-choose = Деңгейді таңдаңыз
risk-level-low = Төмен
risk-level-moderate = Орташа
risk-level-high = Жоғары
risk-level-imminent = Төніп тұрған
risk-actions = Қабылданған шаралар
risk-actions-help = Бүгін не істедіңіз: әңгіме, кімге хабарланды, қайда жолдама берілді.
risk-safety-plan = Қауіпсіздік жоспары
risk-safety-plan-help = Алаңдатарлық белгілер, не көмектеседі, кімге және қайда жүгінуге болады, айналаны қалай қауіпсіз ету керек.
risk-contacts = Байланыстар
risk-contacts-help = Дағдарыс кезінде клиент кімге қоңырау шала алады: сенетін жақындары, қызметтер. Қазақстандағы жедел қызметтердің бірыңғай нөмірі — 112.
risk-sign = Нысанға қол қою
risk-sign-heading = Қауіпті бағалау нысанына қол қоясыз ба?
risk-sign-body = Қол қойылған нысанды өзгертуге болмайды; ол қол қойылған уақытымен бірге сақталады. Белгі сіз оны жапқанша ашық тұрады.
risk-resolve = Белгіні жабу
risk-resolve-heading = Бұл қауіп белгісін жабасыз ба?
risk-resolve-hint = Белгі жабылғанша клиенттің парағында көрініп тұрады.
risk-resolution = Қорытынды
risk-resolution-help = Белгі енді неге қажет емес: не өзгерді, не туралы келісілді, әрі қарай не болады.
risk-resolved-at = жабылған уақыты: { $moment }
risk-history = Жабылған қауіп белгілері ({ $count })
risk-raise = Қауіпті белгілеу

## Клиент парағындағы сауалнамалар.
assessments-heading = Сауалнамалар
assessments-none = Әзірге сауалнама жоқ.
assessment-fill = Сауалнама толтыру
assessment-no-total = қорытынды жоқ: жауапсыз тармақтар тым көп
assessment-change-reliable_improvement = Сенімді жақсару
assessment-change-reliable_deterioration = Сенімді нашарлау
assessment-change-no_reliable_change = Сенімді өзгеріс жоқ
assessment-change-with-threshold = { $change } (шегі { $points } ұпай)
assessment-provisional = алдын ала шек
assessment-provisional-hint = Шегі жарияланған қайталама тестілеу деректерінен алынбаған: өзгерісті абайлап бағалаңыз.
assessment-not-validated = Аударма валидацияланбаған
assessment-not-validated-note = Бұл тілдегі мәтін — валидацияланған нұсқа емес, бағдарламаның өз аудармасы. Ұпайларды жарияланған шектермен абайлап салыстырыңыз.
assessment-flagged = Қауіп белгісі қойылды
assessment-trend-label = { $name }: ұпайлар уақыт бойынша, өлшем саны: { $count }

assessment-item-number = { $number }-сұрақ
assessment-items-show = Сұрақтар бойынша жауаптар
assessment-items-item = Сұрақ
assessment-items-reverse = кері есептеледі
assessment-items-unanswered = жауап жоқ

## Сауалнама толтыру.
assessment-form-heading = Сауалнама толтыру
assessment-form-heading-for = Сауалнама: { $name }
assessment-instrument = Сауалнама
assessment-instrument-licensed = { $name } — емхананың лицензиялық мәтіні қажет
assessment-licensed-hint = Лицензиялық мәтін қажет сауалнама емхана сол мәтінді орнатқаннан кейін қолжетімді болады.
assessment-language = Тілі
assessment-language-not-validated = { $language } (аударма валидацияланбаған)
assessment-by = Кім толтырады
assess-by-clinician = Психолог, дауыстап оқиды
assess-by-parent = Ата-ана, экранда өзі
assessment-taken-on = Күні
assessment-clear-answer = Жауапты алып тастау
assessment-total = Қорытынды
assessment-answered = Жауап берілгені: { $answered } / { $count }
assessment-flag-hint = Сақтаған соң клиенттің парағында қауіп белгісі пайда болады: консультацияға қол қоймас бұрын оның қауіпті бағалау нысанына қол қою керек.
assessment-save = Сауалнаманы сақтау

## Ата-ана экранда жауап береді (сауалнама тілінде).
parent-mode-hint = Ата-ана сұрақтарға өзі жауап бере алады: бір-бірден, ірі әріппен. Қайту үшін құпиясөзіңіз қажет болады.
parent-mode-start = Экранды ата-анаға беру
parent-progress-label = { $count } сұрақтың { $current }-сі
parent-prev = Алдыңғы
parent-next = Келесі
parent-done = Аяқтау
parent-thanks = Рақмет! Экранды психологқа қайтарыңыз
parent-hand-back = Жалғастыру үшін психолог өз құпиясөзін енгізеді.
parent-exit-label = Психологтың құпиясөзі
parent-exit = Жалғастыру
parent-exit-cancel = Сұрақтарға оралу
parent-exit-locked = Профиль құлыпталған. Жалғастыру үшін Tirek-ті құлыптан ашыңыз.
parent-staff-exit = Психолог үшін: аяқтау

## Клиенттер тізіміндегі және консультация редакторындағы қауіп.
caseload-filter-open-flags = Ашық қауіп белгілері
caseload-flag-badge = Қауіп белгісі: { $count }
consult-open-risk-form = Клиенттің қауіпті бағалау нысанын ашу

## The signing section and the client page's actions (what is most used first).
consult-risk-form-needed = Қол қою қауіпті бағалау нысанын күтуде: { $names } клиентінде қол қойылған нысаны жоқ ашық қауіп белгісі бар.
consult-sign-what = Сіз { $names } клиентімен { $date } өткен консультацияға ({ $format }) қол қойып жатырсыз.
consult-sign-confirm = Түпкілікті қол қою
client-papers = Басып шығару немесе сақтау
client-more = Тағы
client-summary-hint = Әріптеске немесе келесі кездесуге арналған бір бет
client-handout-hint = Ата-анаға арналған ауданның қолдау қызметтері
client-record-pdf-hint = Клиент туралы бәрі — оның танысу өтініші бойынша
client-export-hint = Барлық деректер бір файлда (JSON) — басқа жерге беру өтініші бойынша
risk-raise-hint = Бұл отбасының қауіпсіздігін тексеру керек деген өз пікіріңіз
client-archive-hint = Клиенттер тізімінен жасырылады; ештеңе жойылмайды
client-erase-hint = Клиенттің өтініші бойынша: жазбаны біржола жояды
followups-none-risk = Ашық қауіп белгісі бар, бірақ келесі байланыс жоспарланбаған: оны жоспарлаңыз.

## A follow-up date read from the next step's words.
followup-due-suggested = Келесі қадам бойынша ұсынылды: күнін тексеріңіз.
