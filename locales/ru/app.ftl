# Окно: рамка, навигация и пустые состояния разделов.

app-name = Tirek
app-tagline = Поддержка родителей детей с инвалидностью

nav-label = Основные разделы
nav-caseload = Клиенты
nav-agenda = Календарь
nav-questionnaires = Опросники
nav-letters = Письма
nav-settings = Настройки

language-label = Язык

status-label = Состояние
status-profile-none = Профиль не открыт
status-sync-offline = Работа без сети — ничего никуда не отправляется
status-loading = Запуск…

caseload-title = Клиенты
caseload-empty-heading = Семей пока нет

agenda-title = Календарь

questionnaires-title = Опросники
questionnaires-empty-heading = Опросники ещё не проводились
questionnaires-empty-body = Здесь вы будете проводить PHQ-9, GAD-7, WHO-5, PSS-10 и опросники выгорания, видеть баллы каждого родителя во времени и замечать достоверные изменения и риск.

letters-title = Письма
letters-empty-heading = Писем пока нет
letters-empty-body = Направления на казахском, русском или английском языке с бланком поликлиники и исходящим номером, а также журнал всех отправленных писем и их результатов.

settings-title = Настройки
settings-language-heading = Язык интерфейса
settings-language-body = Язык меню и сообщений. Язык письма и опросника выбирается каждый раз отдельно.
settings-about-heading = Об этой копии Tirek
settings-version = Версия
settings-build = Сборка
settings-data-dir = Папка данных

data-dir-problem-heading = Tirek не может ничего сохранить
data-dir-problem-body = В папку данных { $path } нельзя записывать. Попросите того, кто обслуживает этот компьютер, дать вашей учётной записи право записи в неё или запустите Tirek с другой папкой.

gate-create-heading = Создайте свой профиль
gate-create-body = Ваши клиенты хранятся в зашифрованном профиле на этом компьютере. Открыть его можно только вашим паролем; коллеги, работающие за этим компьютером, создают свои профили.
gate-name-label = Ваше имя
gate-password-label = Пароль
gate-password-repeat-label = Повторите пароль
gate-password-hint = Не менее 10 символов. Короткую фразу легко запомнить и трудно угадать.
gate-create-button = Создать профиль
gate-passwords-differ = Пароли не совпадают.
gate-recovery-heading = Ваш ключ восстановления
gate-recovery-body = Запишите этот ключ или распечатайте страницу и храните в сейфе поликлиники. Если вы забудете пароль или компьютер заменят, только он откроет ваш профиль. Больше он показан не будет.
gate-recovery-confirm = Я записал(а) или распечатал(а) ключ восстановления
gate-recovery-print = Распечатать страницу
gate-continue = Продолжить
gate-unlock-heading = Откройте свой профиль
gate-locked-heading = Tirek заблокирован
gate-locked-body = Ваша работа сохранена. Введите пароль, чтобы продолжить с того же места.
gate-profile-label = Профиль
gate-unlock-button = Открыть
gate-new-profile = Новый профиль
gate-back = Назад
gate-working = Подождите…
status-lock-button = Заблокировать
settings-security-heading = Безопасность
settings-auto-lock-label = Блокировать при бездействии
settings-auto-lock-minutes = { $minutes } мин
settings-password-heading = Смена пароля
settings-old-password = Текущий пароль
settings-new-password = Новый пароль
settings-change-password-button = Сменить пароль
settings-password-changed = Пароль изменён.
settings-backup-heading = Резервные копии
settings-backup-body = Раз в день, пока профиль открыт, Tirek записывает в эту папку зашифрованную резервную копию — лучше на USB-диск или в сетевую папку, а не на диск этого компьютера. Копия открывается вашим паролем здесь или ключом восстановления где угодно.
settings-backup-folder = Папка для копий
settings-backup-kept = Хранить копий
settings-backup-save = Сохранить
settings-backup-now = Создать копию сейчас
settings-backup-latest = Последняя копия: { $name }
settings-backup-none = В этой папке ещё нет копий.
settings-backup-saved = Сохранено.
gate-forgot = Забыли пароль или это новый компьютер?
gate-recover-heading = Открыть ключом восстановления
gate-recover-body = Введите ключ восстановления с листа, который хранится в сейфе поликлиники, и задайте новый пароль.
gate-recovery-key-label = Ключ восстановления
gate-new-password-label = Новый пароль
gate-recover-button = Задать новый пароль и открыть
gate-recovery-save = Сохранить в PDF
gate-recovery-saved = Сохранено: { $path }

## Settings → Clinic.
settings-instruments-heading = Опросники
settings-instruments-body = Опросники, доступные на этом компьютере. Лицензионный опросник можно проводить после того, как поликлиника импортирует текст, полученный от авторов.
settings-instruments-version = версия { $version }
settings-instruments-not-validated = перевод не валидирован: { $languages }
settings-instruments-needs-text = Текст вопросов не установлен
settings-instruments-installed = Готов к проведению
settings-instruments-import = Импортировать лицензионный текст…
settings-instruments-import-title = Выберите файл лицензионного опросника
settings-instruments-imported = { $name } установлен: его можно проводить.

settings-clinic-heading = Поликлиника
settings-clinic-body = Печатается в шапке форм согласия, записей и писем. Одинаково для всех, кто работает на этом компьютере.
settings-clinic-name = Название организации
settings-clinic-bin = БИН
settings-clinic-bin-hint = 12 цифр; проверяется как ИИН
settings-clinic-address = Адрес
settings-clinic-phone = Телефон
settings-clinic-save = Сохранить реквизиты
settings-clinic-saved = Реквизиты поликлиники сохранены.
