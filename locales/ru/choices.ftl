# The stored codes of the caseload's choices, as people read them: shared by the
# window, the command line and printed documents.

choice-format-individual = Индивидуальная
choice-format-group = Групповая
choice-format-online = Онлайн
choice-format-home_visit = Визит на дом
choice-disability-none = Инвалидность не установлена
choice-disability-child = Ребёнок с инвалидностью (до 16 лет)
choice-disability-group_1 = I группа инвалидности
choice-disability-group_2 = II группа инвалидности
choice-disability-group_3 = III группа инвалидности
choice-irp-none = Программы реабилитации нет
choice-irp-in_preparation = ИПР разрабатывается
choice-irp-active = ИПР действует
choice-irp-completed = ИПР выполнена
choice-irp-expired = Срок ИПР истёк
choice-scope-record = Ведение записи
choice-scope-server = Центральный сервер
choice-scope-referral = Направления
choice-given_by-client = Клиент
choice-given_by-representative = Законный представитель
choice-method-signed_paper = Подписанная бумажная форма
choice-method-verbal_witness = Устно, при свидетеле
choice-kind-follow_up = Повторный контакт
choice-kind-appointment = Приём
choice-kind-call = Звонок
choice-kind-questionnaire = Пора заполнить опросник
choice-intervention-psychoeducation = Психообразование
choice-intervention-supportive_counselling = Поддерживающее консультирование
choice-intervention-stress_management = Управление стрессом, релаксация
choice-intervention-cbt = Когнитивно-поведенческие техники
choice-intervention-problem_solving = Решение проблем
choice-intervention-family_counselling = Семейное консультирование
choice-intervention-crisis = Кризисная интервенция, план безопасности
choice-intervention-services_information = Информация об услугах и правах
choice-intervention-peer_support = Направление в группу родителей
choice-intervention-self_care = План заботы о себе
