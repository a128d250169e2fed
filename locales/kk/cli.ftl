# `tirek` командалық жолы.

cli-info-data-dir-writable = жазуға болады
cli-info-data-dir-not-writable = жазу мүмкін емес
cli-info-language = Тіл
cli-password-prompt = Құпиясөз:
cli-password-repeat = Құпиясөзді қайталаңыз:
cli-old-password-prompt = Қазіргі құпиясөз:
cli-new-password-prompt = Жаңа құпиясөз:
cli-recovery-key-prompt = Қалпына келтіру кілті:
cli-password-mismatch = Құпиясөздер сәйкес келмейді; ештеңе өзгерген жоқ
cli-secret-missing = Стандартты енгізуде тағы бір жол күтілді (құпиясөз немесе қалпына келтіру кілті); ештеңе өзгерген жоқ
cli-profile-created = Профиль жасалды: { $name } ({ $id })
cli-recovery-key-heading = Қалпына келтіру кілті — тек бір рет көрсетіледі. Оны басып шығарыңыз немесе жазып алып, емхана сейфінде сақтаңыз; құпиясөз ұмытылса немесе компьютер ауыстырылса, профильді осы кілт ашады:
cli-password-changed = Құпиясөз өзгертілді
cli-profile-deleted = Профиль және ондағы барлық деректер жойылды
cli-db-check-ok = Дерекқор бүтін: SQLite және SQLCipher тұтастық тексерулері ешқандай зақым таппады
cli-no-profiles = Бұл компьютерде әзірге профиль жоқ. Профиль жасаңыз: tirek profile create --name "Сіздің атыңыз"
cli-audit-intact = Аудит журналы бүтін: оның хэш тізбегінің барлық буындары сәйкес
cli-audit-altered = Аудит журналы бұрмаланған: { $id } оқиғасы жазылғаннан кейін өзгертілген
cli-audit-missing = Аудит журналы бұрмаланған: { $id } оқиғасы жойылған
cli-audit-witness-checked = Ұйымның серверімен салыстырылды: сервер журналды { $id }-оқиғаға дейін көрген.
cli-audit-witness-unreachable = Ұйымның серверіне қосылу мүмкін болмады, сондықтан журналдың соңғы оқиғалары онымен салыстырылмады.
cli-audit-witness-not-seen = Ұйымның сервері бұл журналды әлі алған жоқ, сондықтан оның соңғы оқиғалары тек осында тексерілді.
cli-backup-created = { $name } профилінің сақтық көшірмесі жазылды
cli-backup-verified = { $name } профилінің сақтық көшірмесі ашылады және тұтастық тексерулерінен өтеді
cli-backup-restored = { $name } профилі сақтық көшірмеден қалпына келтірілді
cli-iin-valid = ЖСН дұрыс: туған күні { $date }, { $sex ->
    [male] ер жынысы
   *[female] әйел жынысы
}
cli-client-added = Клиент қосылды: { $id }
cli-client-total = { $total } ішінен { $shown } көрсетілді
cli-client-erased = Клиенттің жазбасы жойылды ({ $count } жазба); аудит журналында тек жою фактісі қалды
cli-consult-added = Консультация жазылды: { $id }
cli-consult-signed = Консультацияға қол қойылды; түзетулер енді толықтыру ретінде енгізіледі
cli-demo-seeded = Демо жүктеме қосылды: { $clients } клиент, { $consultations } консультация
cli-field-birth-date = Туған күні
cli-field-iin = ЖСН
cli-field-phone = Телефон
cli-field-place = Аудан
cli-field-last-contact = Соңғы байланыс
cli-field-child = Бала
cli-unknown-language = Белгісіз тіл: kk, ru немесе en көрсетіңіз
cli-clinic-not-set = Емхананың деректемелері әлі енгізілмеген: tirek clinic set --name "…"
cli-service-example = мысал — нақты қызметпен ауыстырыңыз
cli-service-import-what = Импорттау үшін CSV файлын көрсетіңіз немесе --examples қолданыңыз.
cli-services-imported = Анықтамалыққа қосылған қызметтер: { $count }.
cli-instrument-ok = { $id }: файл дұрыс (тармақтар саны: { $items })
cli-answer-not-a-number = { $position }-жауап («{ $answer }») сан емес
cli-change-reliable-improvement = сенімді жақсару
cli-change-reliable-deterioration = сенімді нашарлау
cli-change-no-reliable-change = сенімді өзгеріс жоқ
cli-instrument-imported = { $id }: импортталды (тармақтар саны: { $items }); енді ол бағдарлама терезесінде қолжетімді
cli-schedule-added = { $instrument }: кесте белгіленді; келесі жолы { $date }
