# Печатные документы.

recovery-sheet-title = Tirek — ключ восстановления
recovery-sheet-profile = Профиль: { $name }
recovery-sheet-created = Создан: { $date }
recovery-sheet-keep = Храните этот лист в сейфе поликлиники, никогда рядом с компьютером.
recovery-sheet-use = Если пароль забыт или профиль либо резервную копию нужно открыть на другом компьютере, введите этот ключ в Tirek («Забыли пароль или это новый компьютер?») или выполните: tirek profile recover
recovery-sheet-warning = Тот, у кого есть этот ключ и файлы профиля, может прочитать все записи в нём. Ключ показывается только один раз и больше не может быть напечатан.

## Shared by documents.
doc-clinic = Организация
doc-bin = БИН
doc-signature = Подпись
doc-date = Дата

## The consent form.
consent-form-title = Согласие на сбор и обработку персональных данных
consent-form-intro = Я, { $name }, ИИН { $iin }, дата рождения { $birth }, даю согласие { $clinic } (оператору) на сбор и обработку моих персональных данных и данных моих детей в целях, отмеченных ниже:
consent-form-purpose-record = ведение записи о моём психологическом консультировании (консультации, опросники, планы) в программе Tirek на компьютере поликлиники;
consent-form-purpose-server = передача этой записи на центральный сервер поликлиники, расположенный в Казахстане, где её могут просматривать психологи-супервизоры;
consent-form-purpose-referral = передача сведений, необходимых для направления, в службу или специалисту, к которым меня направляют, каждый раз с моего ведома.
consent-form-data = Собираемые данные: фамилия, имя, отчество; ИИН; дата рождения; телефон и адрес; сведения о семье и детях, включая их здоровье, диагнозы и инвалидность; содержание консультаций и принятые решения; ответы и результаты опросников.
consent-form-recipients = Данные не передаются никому сверх отмеченных целей и не передаются за пределы Республики Казахстан.
consent-form-term = Согласие действует до его отзыва. Я могу отозвать его в любое время, письменно или лично, по каждой цели отдельно; отзыв не влияет на то, что было правомерно сделано до него.
consent-form-rights = Мне разъяснено, что я вправе знакомиться со своими данными, требовать их исправления, блокирования или уничтожения и получить копию своей записи (Закон Республики Казахстан № 94-V «О персональных данных и их защите»).
consent-form-signed-by = Согласие дал(а) (клиент или законный представитель с подтверждающим документом)
consent-form-signed-by-hint = фамилия, имя, отчество; для представителя — также основание представительства
consent-form-psychologist = Согласие принял психолог: { $psychologist }

## A client's record, printed for the client.
record-title = Запись психологического консультирования
record-printed-on = Напечатано { $date } по запросу клиента
record-birth-date = Дата рождения
record-iin = ИИН
record-phone = Телефон
record-address = Адрес
record-place = Район
record-language = Предпочитаемый язык
record-children = Дети
record-special-needs = особые образовательные потребности
record-diagnosis = Диагноз
record-consents = Согласия
record-consent-given = { $scope }: дано { $date }, { $by }
record-consent-withdrawn = отозвано { $withdrawn }
record-consultations = Консультации
record-minutes = { $minutes } мин
record-signed = подписана
record-draft = черновик, не подписана
record-participants = Участники
record-concerns = Запрос
record-interventions = Вмешательства
record-notes = Заметки
record-plan = План
record-next-step = Следующий шаг
record-addendum = Дополнение от
record-follow-ups = Повторные контакты и приёмы
record-done-on = выполнено { $date }
record-questionnaires = Опросники
results-date = Дата
results-total = Балл
results-band = Уровень
results-change = Изменение к предыдущему
results-not-validated = Часть баллов получена на переводе, который не валидирован.

## The trend chart's legend, in the window and on paper ($points: the threshold as written; $count: the same as a number, for the plural).
chart-legend-worse = Достоверное ухудшение по сравнению с предыдущей оценкой
chart-legend-better = Достоверное улучшение по сравнению с предыдущей оценкой
chart-legend-flag = Отмечен флаг риска: на этой оценке сработало правило безопасности
chart-legend-threshold = Изменение на { $points } { $count ->
    [one] балл
    [few] балла
    [many] баллов
   *[other] балла
} и более по сравнению с предыдущей оценкой считается достоверным.
chart-legend-threshold-provisional = Изменение на { $points } { $count ->
    [one] балл
    [few] балла
    [many] баллов
   *[other] балла
} и более по сравнению с предыдущей оценкой считается достоверным. Порог предварительный: он взят не из опубликованных данных о ретестовой надёжности, поэтому изменение, близкое к нему, оценивайте осторожно.
chart-point-provisional = предварительный порог

## Направление.
letter-title = Направление
letter-number = Исх. № { $number }
letter-date = Дата: { $date }
letter-draft-number = (ещё не выдано)
letter-draft = ЧЕРНОВИК — не выдано
letter-copy = КОПИЯ
letter-urgency-soon = Просим принять семью в ближайшие дни
letter-urgency-urgent = СРОЧНО
letter-urgency = срочность: { $urgency }
letter-client = Клиент
letter-child = Ребёнок
letter-reason = Причина направления
letter-findings = Заключение психолога
letter-results = Результаты опросников
letter-risk = Открытые флаги риска
letter-service = Запрашиваемая услуга
letter-consent = Клиент дал письменное согласие на это направление и на передачу сведений, указанных в письме, получателю (Закон Республики Казахстан № 94-V «О персональных данных и их защите», ст. 8).
letter-psychologist = Психолог
letter-stamp = М. П.
letter-qr = Идентификатор и контрольная сумма письма
letter-birth-date = дата рождения
letter-iin = ИИН
letter-address = адрес
letter-phone = телефон
letter-finding-score = { $name } от { $date }: { $total } ({ $band })
letter-flag-clinician = отмечен психологом

## Памятка родителю со службами.
handout-title = Куда обратиться за поддержкой
handout-district = Службы: { $district }
handout-intro = Вы не обязаны справляться в одиночку. Эти службы помогают семьям, воспитывающим ребёнка с инвалидностью. Позвоните перед визитом: по телефону быстрее всего записаться.
handout-none = Служб этого района в справочнике пока нет. Спросите своего психолога.
handout-phone = Телефон: { $phone }
handout-given = Выдано психологом { $psychologist } { $date }.

## Краткая сводка по клиенту.
summary-title = Сводка по клиенту
summary-printed-on = Напечатано { $date }
summary-scores = Последние результаты опросников
summary-next = Дальнейшие шаги
summary-more = … и ещё { $count }
