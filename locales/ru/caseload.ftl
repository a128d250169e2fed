# Экраны клиентов: список, анкета и карточка клиента, консультации и ежедневник.

## Общие слова.
back = Назад
back-to-caseload = К списку клиентов
back-to-client = К карточке клиента
cancel = Отмена
save = Сохранить
saving = Сохранение…
edit = Изменить
date-placeholder = ДД.ММ.ГГГГ
today = Сегодня
time-placeholder = ЧЧ:ММ
form-fix-fields = Пока ничего не сохранено: исправьте отмеченные поля. Введённое не потеряется.
age-years = { $years ->
    [one] { $years } год
    [few] { $years } года
   *[many] { $years } лет
}
minutes = { $minutes } мин

## Названия, которые показывает только окно (сохраняемые варианты — в choices.ftl).
timeline-kind-consultation = Консультация
timeline-kind-consent_given = Дано согласие
timeline-kind-consent_withdrawn = Согласие отозвано
timeline-kind-follow_up = Запланирован контакт
timeline-kind-follow_up_done = Контакт выполнен
timeline-kind-assessment = Опросник
timeline-kind-flag_raised = Отмечен флаг риска
timeline-kind-flag_resolved = Флаг риска закрыт
language-name-kk = Казахский
language-name-ru = Русский
language-name-en = Английский

weekday-0 = Воскресенье
weekday-1 = Понедельник
weekday-2 = Вторник
weekday-3 = Среда
weekday-4 = Четверг
weekday-5 = Пятница
weekday-6 = Суббота

## Список клиентов.
caseload-empty-start = Зарегистрируйте первого родителя или опекуна, которого вы консультируете. Его дети, согласия, консультации и повторные контакты будут собраны на его карточке.
caseload-search-label = Поиск
caseload-search-placeholder = ФИО кириллицей или латиницей, ИИН или телефон
caseload-new-client = Новый клиент
caseload-filter-district = Район
caseload-filter-district-any = Все районы
caseload-filter-no-contact = Нет контакта
caseload-filter-no-contact-any = Неважно
caseload-filter-no-contact-days = { $days } дней и дольше
caseload-filter-overdue = Просрочен контакт
caseload-filter-archived = Клиенты в архиве
caseload-sort = Сортировка
caseload-sort-name = По ФИО
caseload-sort-last-contact = По последнему контакту
caseload-sort-next-due = По следующему контакту
caseload-total = { $count ->
    [one] { $count } клиент
    [few] { $count } клиента
   *[many] { $count } клиентов
}
caseload-showing-archived = Архив
caseload-shown = Показано { $shown } из { $total }
caseload-show-more = Показать ещё
caseload-no-match = Никто не найден. Проверьте написание или снимите фильтр.
caseload-list-label = Клиенты
caseload-col-name = ФИО
caseload-col-place = Район
caseload-col-phone = Телефон
caseload-col-last-contact = Последний контакт
caseload-col-next-due = Следующий контакт
caseload-never = Ещё не было
caseload-overdue = Просрочено

## Анкета клиента.
client-form-new-heading = Новый клиент
client-form-edit-heading = Данные клиента
client-form-hint = Родитель или опекун, которого вы консультируете. Обязательны только фамилия и имя; остальное можно добавить позже.
client-form-names = ФИО
client-form-identity = Документы и связь
client-form-place = Место жительства
client-family-name = Фамилия
client-given-name = Имя
client-patronymic = Отчество
client-latin-name = ФИО латиницей
client-latin-name-hint = Как в удостоверении личности, если известно.
client-iin = ИИН
client-birth-date = Дата рождения
client-phone = Телефон
client-language = Предпочитаемый язык
client-region = Область
client-region-none = Не выбрана
client-district = Район или город
client-district-none = Не выбран
client-district-region-first = Сначала выберите область
client-address = Адрес
client-save-new = Зарегистрировать
client-save = Сохранить изменения

## Карточка клиента.
client-place = Место
client-children = Дети
client-last-contact = Последний контакт
client-next-follow-up = Следующий контакт
client-archived-tag = В архиве
client-read-only-tag = Только чтение
client-read-only-body = Клиент передан коллеге, теперь его карту ведёт она. Прежнюю историю здесь можно читать и печатать, но не дополнять и не изменять.
client-edit = Изменить данные
client-archive = В архив
client-unarchive = Вернуть из архива
client-archived = Клиент перенесён в архив. Его можно найти с фильтром «Клиенты в архиве».
client-unarchived = Клиент снова в списке.
client-export = Выгрузить запись
client-record-pdf = Запись в PDF
client-erase = Удалить…
consultation-new = Новая консультация

children-heading = Дети
children-none = Дети пока не указаны.
child-add = Добавить ребёнка
child-add-heading = Новый ребёнок
child-edit-heading = Данные ребёнка
child-name = Имя
child-birth-date = Дата рождения
child-iin = ИИН
child-disability = Инвалидность
child-special-needs = Особые образовательные потребности
child-special-needs-short = ООП
child-diagnosis = Диагноз
child-icd10 = Код МКБ-10
child-diagnosed-on = Дата постановки диагноза
child-irp-status = Индивидуальная программа реабилитации

consent-heading = Согласие
consent-chip-given = { $scope }: есть
consent-chip-missing = { $scope }: нет
consent-none-recorded = Согласий пока нет. Сначала оформите согласие клиента на ведение записи.
consent-add = Оформить согласие
consent-add-heading = Новое согласие
consent-scope = На что
consent-scope-hint-record = Согласие на ведение записи о клиенте в Tirek на этом компьютере.
consent-scope-hint-server = Согласие на передачу записи на центральный сервер, где её может видеть супервизор.
consent-scope-hint-referral = Согласие на передачу службе, куда направляют, того, что нужно для направления.
consent-given-by = Кто дал
consent-representative = ФИО представителя
consent-method = Как
consent-witness = Свидетель
consent-given-on = Дата согласия
consent-given-on-date = дано { $date }
consent-by-representative = представителем { $name }
consent-print = Бланк согласия (PDF)
consent-save = Сохранить согласие
consent-withdraw = Отозвать
consent-withdrawn-on = Отозвано { $date }
consent-withdraw-heading = Отозвать это согласие
consent-withdraw-body = С этой даты согласие больше не действует. Записанное раньше остаётся в записи.
consent-withdraw-date = Дата отзыва

followups-heading = Повторные контакты
followups-none = Ничего не запланировано.
followup-add = Запланировать
followup-add-heading = Запланировать контакт
followup-from-next-step = Запланировать следующий шаг
followup-from-next-step-heading = Контакт по следующему шагу этой консультации
followup-kind = Вид
followup-due-on = Дата
followup-time = Время
followup-note = Заметка
followup-save = Сохранить
followup-added = Контакт добавлен в ежедневник.
followup-done-on = выполнено { $date }

timeline-heading = История
timeline-none = Пока ничего не было.
consultation-signed-tag = Подписана
consultation-draft-tag = Черновик

erase-heading = Удалить клиента?
erase-body = Удаление необратимо: клиент, его дети, согласия, консультации и повторные контакты навсегда удаляются с этого компьютера. В журнале аудита остаётся только отметка об удалении. Резервные копии, сделанные раньше, хранят запись, пока не будут заменены (через число дней, заданное в Настройки → Резервные копии); ранее выгруженные файлы не затрагиваются.
erase-export-first = Если клиент просил показать его данные, выгрузите запись до удаления.
erase-type-name = Для подтверждения введите фамилию: { $name }
erase-button = Удалить навсегда

## Консультация.
consultation-heading = Консультация от { $date }
consult-format = Формат
consult-held-on = Дата
consult-duration = Длительность, минут
consult-duration-placeholder = 50
consult-participants = Участники
consult-participants-placeholder = Мать, отец, бабушка…
consult-concerns = Запрос
consult-interventions = Вмешательства
consult-interventions-other = Другие вмешательства
consult-notes = Заметки
consult-plan = План
consult-next-step = Следующий шаг
consult-concerns-or-notes = Запрос или заметки
consult-attendee = Клиент:
consult-attendees-group = Участники:
consult-add-attendee = Групповая сессия: добавить клиента
consult-add-attendee-placeholder = Имя, ИИН или телефон
consult-remove-attendee = Убрать { $name } из этой сессии
consult-autosave = Черновик — сохраняется по мере ввода
consult-saving = Сохранение…
consult-saved-at = Сохранено в { $time }
consult-saved-with-problems = Сохранено в { $time }, кроме отмеченных полей
consult-save-failed = Не сохранено
consult-missing = Для подписи заполните: { $fields }
consult-ready-to-sign = Всё нужное для подписи заполнено.
consult-sign = Подписать
consult-discard = Удалить черновик
consult-discard-heading = Удалить этот черновик?
consult-discard-body = Черновик и отметка о посещении удаляются, как если бы его не начинали. Используйте это для консультации, начатой по ошибке; подписанную удалить нельзя.
consult-sign-heading = Подписать консультацию?
consult-sign-body = Подписанную консультацию нельзя изменить; исправления добавляются дополнениями.
consult-signed-at = Подписана { $moment }
addenda-heading = Дополнения
addenda-hint = Консультация подписана и окончательна. Исправления и поздние заметки добавляйте сюда; у каждого есть дата.
addendum-label = Новое дополнение
addendum-add = Добавить дополнение

## Ежедневник.
agenda-day = День
agenda-week = Неделя
agenda-span-label = Показать
agenda-prev-day = Предыдущий день
agenda-next-day = Следующий день
agenda-prev-week = Предыдущая неделя
agenda-next-week = Следующая неделя
agenda-today = Сегодня
agenda-today-tag = Сегодня
agenda-overdue = Просрочено ({ $count })
agenda-overdue-hint = Срок прошёл, но не отмечено как выполненное. Отметьте выполненное или перенесите.
agenda-nothing-heading = Ничего не запланировано
agenda-nothing-body = На эти дни нет ни контактов, ни приёмов, ни звонков, и ничего не просрочено. Планируйте их на карточке клиента.
agenda-nothing-this-day = На этот день ничего не запланировано.
agenda-nothing-this-week = На эту неделю ничего не запланировано.
agenda-done-label = Выполнено: { $name }
agenda-done-tag = Выполнено
agenda-start-consultation = Записать консультацию
agenda-fill-in = Заполнить

## Флаги риска: баннер, который нельзя скрыть, и форма оценки риска за подписью психолога.
risk-banner-heading = Открытый флаг риска
risk-raised-by-psychologist = Отмечен психологом
risk-raised-at = Отмечен { $moment }
risk-form-signed-at = Форма оценки риска подписана { $moment }
risk-form-not-signed = Форма оценки риска ещё не подписана
risk-form-heading = Форма оценки риска
risk-form-hint = Структурированная оценка риска за вашей подписью. Пока она не подписана, консультации клиента подписать нельзя.
risk-level = Уровень риска
risk-level-choose = Выберите уровень
risk-level-low = Низкий
risk-level-moderate = Умеренный
risk-level-high = Высокий
risk-level-imminent = Непосредственный
risk-actions = Принятые меры
risk-actions-help = Что вы сделали сегодня: беседа, кого известили, куда направили.
risk-safety-plan = План безопасности
risk-safety-plan-help = Тревожные признаки, что помогает, к кому и куда обратиться, как сделать обстановку безопасной.
risk-contacts = Контакты
risk-contacts-help = Куда клиент может позвонить в кризисе: близкие люди, службы. Единый номер экстренных служб в Казахстане — 112.
risk-sign = Подписать форму оценки риска
risk-sign-heading = Подписать форму оценки риска?
risk-sign-body = Подписанную форму изменить нельзя; она хранится со временем подписи. Флаг остаётся открытым, пока вы его не закроете.
risk-resolve = Закрыть флаг
risk-resolve-heading = Закрыть этот флаг риска?
risk-resolve-hint = Флаг виден на странице клиента, пока его не закроют.
risk-resolution = Итог
risk-resolution-help = Почему флаг больше не нужен: что изменилось, о чём договорились, что дальше.
risk-resolved-at = закрыт { $moment }
risk-history = Закрытые флаги риска ({ $count })
risk-raise = Отметить риск

## Опросники на странице клиента.
assessments-heading = Опросники
assessments-none = Опросников пока нет.
assessment-fill = Заполнить опросник
assessment-no-total = итог не подсчитан: слишком много пунктов без ответа
assessment-change-reliable_improvement = Достоверное улучшение
assessment-change-reliable_deterioration = Достоверное ухудшение
assessment-change-no_reliable_change = Нет достоверного изменения
assessment-change-with-threshold = { $change } (порог { $points } { $points ->
    [one] балл
    [few] балла
    [many] баллов
   *[other] балла
})
assessment-provisional = предварительный порог
assessment-provisional-hint = Порог взят не из опубликованных данных о ретестовой надёжности: оценивайте изменение осторожно.
assessment-not-validated = Перевод не валидирован
assessment-not-validated-note = Текст на этом языке — собственный перевод программы, а не валидированная версия. Сравнивайте баллы с опубликованными границами осторожно.
assessment-flagged = Отмечен флаг риска
assessment-trend-label = { $name }: баллы во времени, измерений: { $count }

assessment-item-number = Вопрос { $number }
assessment-items-show = Ответы по вопросам
assessment-items-item = Вопрос
assessment-items-reverse = обратный подсчёт
assessment-items-unanswered = нет ответа

## Заполнение опросника.
assessment-form-heading = Заполнение опросника
assessment-form-heading-for = Опросник: { $name }
assessment-instrument = Опросник
assessment-instrument-licensed = { $name } — нужен лицензионный текст поликлиники
assessment-licensed-hint = Опросник, которому нужен лицензионный текст, станет доступен, когда поликлиника установит этот текст.
assessment-language = Язык
assessment-language-not-validated = { $language } (перевод не валидирован)
assessment-by = Кто заполняет
assess-by-clinician = Психолог, читая вслух
assess-by-parent = Родитель, на экране
assessment-taken-on = Дата
assessment-clear-answer = Снять ответ
assessment-total = Итог
assessment-answered = Отвечено: { $answered } из { $count }
assessment-flag-hint = При сохранении на странице клиента появится флаг риска: его форму оценки риска нужно подписать до подписания консультации.
assessment-save = Сохранить опросник

## Родитель отвечает на экране (на языке опросника).
parent-mode-hint = Родитель может ответить сам: по одному вопросу, крупным шрифтом. Чтобы вернуться, понадобится ваш пароль.
parent-mode-start = Передать экран родителю
parent-progress-label = Вопрос { $current } из { $count }
parent-prev = Назад
parent-next = Далее
parent-done = Готово
parent-thanks = Спасибо! Пожалуйста, верните экран психологу
parent-hand-back = Психолог введёт свой пароль, чтобы продолжить.
parent-exit-label = Пароль психолога
parent-exit = Продолжить
parent-exit-cancel = Вернуться к вопросам
parent-exit-locked = Профиль заблокирован. Разблокируйте Tirek, чтобы продолжить.
parent-staff-exit = Для психолога: завершить

## Риск в списке клиентов и в редакторе консультации.
caseload-filter-open-flags = Открытые флаги риска
caseload-flag-badge = Флаги риска: { $count }
consult-open-risk-form = Открыть форму оценки риска клиента

## The signing section and the client page's actions (what is most used first).
consult-risk-form-needed = Подпись ждёт формы оценки риска: у клиента { $names } открыт флаг риска без подписанной формы.
consult-sign-what = Вы подписываете консультацию с клиентом { $names } от { $date } ({ $format }).
consult-sign-confirm = Подписать окончательно
client-papers = Печать и сохранение
client-more = Ещё
client-summary-hint = Одна страница для коллеги или следующей встречи
client-handout-hint = Службы поддержки района — для родителя
client-record-pdf-hint = Всё о клиенте — по его запросу на ознакомление
client-export-hint = Все данные одним файлом (JSON) — по запросу на передачу
risk-raise-hint = Ваше собственное суждение, что семье нужна проверка безопасности
client-archive-hint = Скрыть из списка клиентов; ничего не удаляется
client-erase-hint = По просьбе клиента: удаляет запись навсегда
followups-none-risk = Открыт флаг риска, а следующий контакт не запланирован: запланируйте его.

## A follow-up date read from the next step's words.
followup-due-suggested = Предложено по следующему шагу: проверьте дату.
