# Терезе: жақтау, навигация және бөлімдердің бос күйлері.

app-name = Tirek
app-tagline = Мүгедектігі бар балалардың ата-аналарына қолдау

nav-label = Негізгі бөлімдер
nav-caseload = Клиенттер
nav-agenda = Күнтізбе
nav-questionnaires = Сауалнамалар
nav-letters = Хаттар
nav-settings = Баптаулар

language-label = Тіл

status-label = Күйі
status-profile-none = Профиль ашылмаған
status-sync-offline = Желісіз жұмыс — ештеңе ешқайда жіберілмейді
status-loading = Іске қосылуда…

caseload-title = Клиенттер
caseload-empty-heading = Әзірге отбасылар жоқ

agenda-title = Күнтізбе

questionnaires-title = Сауалнамалар
questionnaires-empty-heading = Сауалнамалар әлі жүргізілмеген
questionnaires-empty-body = Мұнда PHQ-9, GAD-7, WHO-5, PSS-10 және күйзеліс сауалнамаларын жүргізіп, әр ата-ананың ұпайларын уақыт бойынша көріп, сенімді өзгеріс пен қауіпті байқайсыз.

letters-title = Хаттар
letters-empty-heading = Әзірге хаттар жоқ
letters-empty-body = Емхана бланкісі мен шығыс нөмірі бар қазақ, орыс немесе ағылшын тіліндегі жолдамалар және барлық жіберілген хаттар мен олардың нәтижелерінің тізілімі.

settings-title = Баптаулар
settings-language-heading = Интерфейс тілі
settings-language-body = Мәзір мен хабарламалардың тілі. Хат пен сауалнаманың тілі әр жолы бөлек таңдалады.
settings-about-heading = Tirek-тің осы көшірмесі туралы
settings-version = Нұсқа
settings-build = Жинақ
settings-data-dir = Деректер қалтасы

data-dir-problem-heading = Tirek ештеңе сақтай алмайды
data-dir-problem-body = { $path } деректер қалтасына жазу мүмкін емес. Осы компьютерге қызмет көрсететін адамнан тіркелгіңізге осы қалтаға жазу құқығын беруін сұраңыз немесе Tirek-ті басқа қалтамен іске қосыңыз.

gate-create-heading = Профиліңізді жасаңыз
gate-create-body = Клиенттеріңіз осы компьютердегі шифрланған профильде сақталады. Оны тек сіздің құпиясөзіңіз ашады; осы компьютерді бөлісетін әріптестер өз профильдерін жасайды.
gate-name-label = Атыңыз
gate-password-label = Құпиясөз
gate-password-repeat-label = Құпиясөзді қайталаңыз
gate-password-hint = Кемінде 10 таңба. Қысқа сөйлемді есте сақтау оңай, ал табу қиын.
gate-create-button = Профиль жасау
gate-passwords-differ = Құпиясөздер сәйкес келмейді.
gate-recovery-heading = Қалпына келтіру кілтіңіз
gate-recovery-body = Бұл кілтті жазып алыңыз немесе бетті басып шығарып, емхана сейфінде сақтаңыз. Құпиясөзді ұмытсаңыз немесе компьютер ауыстырылса, профиліңізді тек осы кілт ашады. Ол қайта көрсетілмейді.
gate-recovery-confirm = Қалпына келтіру кілтін жазып алдым немесе басып шығардым
gate-recovery-print = Бетті басып шығару
gate-continue = Жалғастыру
gate-unlock-heading = Профиліңізді ашыңыз
gate-locked-heading = Tirek құлыпталған
gate-locked-body = Жұмысыңыз сақталды. Тоқтаған жерден жалғастыру үшін құпиясөзді енгізіңіз.
gate-profile-label = Профиль
gate-unlock-button = Ашу
gate-new-profile = Жаңа профиль
gate-back = Артқа
gate-working = Күте тұрыңыз…
status-lock-button = Құлыптау
settings-security-heading = Қауіпсіздік
settings-auto-lock-label = Әрекетсіз тұрғанда құлыптау
settings-auto-lock-minutes = { $minutes } мин
settings-password-heading = Құпиясөзді өзгерту
settings-old-password = Қазіргі құпиясөз
settings-new-password = Жаңа құпиясөз
settings-change-password-button = Құпиясөзді өзгерту
settings-password-changed = Құпиясөз өзгертілді.
settings-backup-heading = Сақтық көшірмелер
settings-backup-body = Профиліңіз ашық тұрғанда Tirek күніне бір рет осы қалтаға шифрланған сақтық көшірме жазады — жақсысы USB-дискке немесе желілік қалтаға, осы компьютердің дискісіне емес. Көшірме мұнда құпиясөзіңізбен, ал кез келген жерде қалпына келтіру кілтімен ашылады.
settings-backup-folder = Көшірмелер қалтасы
settings-backup-kept = Сақталатын көшірмелер
settings-backup-save = Сақтау
settings-backup-now = Қазір көшірме жасау
settings-backup-latest = Соңғы көшірме: { $name }
settings-backup-none = Бұл қалтада әлі көшірме жоқ.
settings-backup-saved = Сақталды.
gate-forgot = Құпиясөзді ұмыттыңыз ба, әлде бұл жаңа компьютер ме?
gate-recover-heading = Қалпына келтіру кілтімен ашу
gate-recover-body = Емхана сейфінде сақталған парақтағы қалпына келтіру кілтін енгізіп, жаңа құпиясөз таңдаңыз.
gate-recovery-key-label = Қалпына келтіру кілті
gate-new-password-label = Жаңа құпиясөз
gate-recover-button = Жаңа құпиясөзді орнатып, ашу
gate-recovery-save = PDF ретінде сақтау
gate-recovery-saved = Сақталды: { $path }

## Settings → Clinic.
settings-instruments-heading = Сауалнамалар
settings-instruments-body = Осы компьютерде қолжетімді сауалнамалар. Лицензиялық сауалнаманы емхана авторлардан алған мәтінін импорттағаннан кейін жүргізуге болады.
settings-instruments-version = { $version } нұсқасы
settings-instruments-not-validated = аударма валидацияланбаған: { $languages }
settings-instruments-needs-text = Сұрақтар мәтіні орнатылмаған
settings-instruments-installed = Жүргізуге дайын
settings-instruments-import = Лицензиялық мәтінді импорттау…
settings-instruments-import-title = Лицензиялық сауалнама файлын таңдаңыз
settings-instruments-imported = { $name } орнатылды: енді оны жүргізуге болады.

settings-clinic-heading = Емхана
settings-clinic-body = Келісім нысандарының, жазбалар мен хаттардың басында басылады. Осы компьютерде жұмыс істейтіндердің бәріне бірдей.
settings-clinic-name = Ұйымның атауы
settings-clinic-bin = БСН
settings-clinic-bin-hint = 12 цифр; ЖСН сияқты тексеріледі
settings-clinic-address = Мекенжай
settings-clinic-phone = Телефон
settings-clinic-save = Деректемелерді сақтау
settings-clinic-saved = Емхананың деректемелері сақталды.
