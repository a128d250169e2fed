//! The caseload's commands: clients, children, consent, consultations, follow-ups,
//! the agenda, export and erasure. Each calls one `tirek-app` function.

use tauri::State;
use tirek_app::regions::Region;
use tirek_app::{
    Agenda, App, CaseloadPage, CaseloadQuery, ChildInput, ClientDetail, ClientInput, ClinicInput, ConsentInput,
    ConsultationInput, ConsultationView, DraftSaved, FieldMessage, FollowUpInput,
};

use crate::commands::ipc_error;
use crate::ipc::IpcError;

type Answer<T> = Result<T, IpcError>;

macro_rules! call {
    ($app:ident, $expr:expr) => {
        $expr.map_err(|error| ipc_error(&$app, error))
    };
}

/// Kazakhstan's regions and districts, named in the interface language.
#[tauri::command]
#[specta::specta]
pub fn regions(app: State<'_, App>) -> Vec<Region> {
    app.regions()
}

/// Checks the client form as the user types; nothing is saved.
#[tauri::command]
#[specta::specta]
pub fn check_client(app: State<'_, App>, input: ClientInput) -> Vec<FieldMessage> {
    let problems = app.check_client(&input);
    tirek_app::AppError::Invalid(problems).field_messages(&app.messages())
}

/// Creates a client; returns the id.
#[tauri::command]
#[specta::specta]
pub fn create_client(app: State<'_, App>, input: ClientInput) -> Answer<String> {
    call!(app, app.create_client(&input))
}

/// Saves an edited client.
#[tauri::command]
#[specta::specta]
pub fn update_client(app: State<'_, App>, id: String, input: ClientInput) -> Answer<()> {
    call!(app, app.update_client(&id, &input))
}

/// Archives a client, or brings them back.
#[tauri::command]
#[specta::specta]
pub fn set_client_archived(app: State<'_, App>, id: String, archived: bool) -> Answer<()> {
    call!(app, app.set_client_archived(&id, archived))
}

/// A page of the caseload list.
#[tauri::command]
#[specta::specta]
pub fn caseload(app: State<'_, App>, query: CaseloadQuery) -> Answer<CaseloadPage> {
    call!(app, app.caseload(&query))
}

/// Everything on a client's page.
#[tauri::command]
#[specta::specta]
pub fn client_detail(app: State<'_, App>, id: String) -> Answer<ClientDetail> {
    call!(app, app.client(&id))
}

/// Adds a child; returns the id.
#[tauri::command]
#[specta::specta]
pub fn add_child(app: State<'_, App>, client_id: String, input: ChildInput) -> Answer<String> {
    call!(app, app.add_child(&client_id, &input))
}

/// Saves an edited child.
#[tauri::command]
#[specta::specta]
pub fn update_child(app: State<'_, App>, child_id: String, input: ChildInput) -> Answer<()> {
    call!(app, app.update_child(&child_id, &input))
}

/// Records a consent; returns the id.
#[tauri::command]
#[specta::specta]
pub fn give_consent(app: State<'_, App>, client_id: String, input: ConsentInput) -> Answer<String> {
    call!(app, app.give_consent(&client_id, &input))
}

/// Withdraws a consent as of a date.
#[tauri::command]
#[specta::specta]
pub fn withdraw_consent(app: State<'_, App>, consent_id: String, withdrawn_on: String) -> Answer<()> {
    call!(app, app.withdraw_consent(&consent_id, &withdrawn_on))
}

/// Starts a consultation (a draft dated today) with one or several clients.
#[tauri::command]
#[specta::specta]
pub fn start_consultation(app: State<'_, App>, client_ids: Vec<String>, format: String) -> Answer<String> {
    call!(app, app.start_consultation(&client_ids, &format))
}

/// Adds a client to a draft consultation (a group session).
#[tauri::command]
#[specta::specta]
pub fn add_attendee(app: State<'_, App>, id: String, client_id: String) -> Answer<()> {
    call!(app, app.add_attendee(&id, &client_id))
}

/// Discards a draft consultation started by mistake.
#[tauri::command]
#[specta::specta]
pub fn discard_consultation(app: State<'_, App>, id: String) -> Answer<()> {
    call!(app, app.discard_consultation(&id))
}

/// Takes a client off a draft consultation.
#[tauri::command]
#[specta::specta]
pub fn remove_attendee(app: State<'_, App>, id: String, client_id: String) -> Answer<()> {
    call!(app, app.remove_attendee(&id, &client_id))
}

/// Saves a consultation draft as typed.
#[tauri::command]
#[specta::specta]
pub fn save_consultation_draft(app: State<'_, App>, id: String, input: ConsultationInput) -> Answer<DraftSaved> {
    call!(app, app.save_consultation_draft(&id, &input))
}

/// Signs a consultation.
#[tauri::command]
#[specta::specta]
pub fn sign_consultation(app: State<'_, App>, id: String) -> Answer<()> {
    call!(app, app.sign_consultation(&id))
}

/// Adds an addendum to a signed consultation.
#[tauri::command]
#[specta::specta]
pub fn add_addendum(app: State<'_, App>, consultation_id: String, text: String) -> Answer<String> {
    call!(app, app.add_addendum(&consultation_id, &text))
}

/// A consultation, whole.
#[tauri::command]
#[specta::specta]
pub fn consultation(app: State<'_, App>, id: String) -> Answer<ConsultationView> {
    call!(app, app.consultation(&id))
}

/// The due date a next step's words suggest, if any.
#[tauri::command]
#[specta::specta]
pub fn suggest_due_date(app: State<'_, App>, words: String) -> Option<String> {
    app.suggest_due_date(&words)
}

/// Adds a follow-up or appointment.
#[tauri::command]
#[specta::specta]
pub fn add_follow_up(app: State<'_, App>, client_id: String, input: FollowUpInput) -> Answer<String> {
    call!(app, app.add_follow_up(&client_id, &input))
}

/// Marks a follow-up done, or open again.
#[tauri::command]
#[specta::specta]
pub fn set_follow_up_done(app: State<'_, App>, id: String, done: bool) -> Answer<()> {
    call!(app, app.set_follow_up_done(&id, done))
}

/// The agenda from a day for a number of days, with everything overdue.
#[tauri::command]
#[specta::specta]
pub fn agenda(app: State<'_, App>, from: String, days: u32) -> Answer<Agenda> {
    call!(app, app.agenda(&from, days))
}

/// Erases a client at their request.
#[tauri::command]
#[specta::specta]
pub fn erase_client(app: State<'_, App>, id: String) -> Answer<u32> {
    call!(app, app.erase_client(&id).map(|n| n as u32))
}

/// Exports a client's complete record as JSON to a file the user picks; `None`
/// when the dialog was cancelled (nothing is exported, nothing audited). The
/// suggested name carries no client name.
#[tauri::command]
#[specta::specta]
pub async fn export_client(handle: tauri::AppHandle, app: State<'_, App>, id: String) -> Answer<Option<String>> {
    let Some(path) = choose_path(&handle, ("JSON", "json"), "tirek-client-record.json") else { return Ok(None) };
    let record = call!(app, app.export_client(&id))?;
    let bytes = serde_json::to_vec_pretty(&record).unwrap_or_default();
    call!(app, app.save_document(&path, &bytes))?;
    Ok(Some(path.display().to_string()))
}

/// Asks where to save a document; `None` when the dialog was cancelled.
fn choose_path(handle: &tauri::AppHandle, filter: (&str, &str), file_name: &str) -> Option<std::path::PathBuf> {
    use tauri_plugin_dialog::DialogExt as _;
    handle
        .dialog()
        .file()
        .add_filter(filter.0, &[filter.1])
        .set_file_name(file_name)
        .blocking_save_file()
        .and_then(|path| path.into_path().ok())
}

/// Saves the consent form for a client, in `language`, where the user picks.
#[tauri::command]
#[specta::specta]
pub async fn save_consent_form(
    handle: tauri::AppHandle,
    app: State<'_, App>,
    id: String,
    language: crate::ipc::LanguageCode,
) -> Answer<Option<String>> {
    let Some(path) = choose_path(&handle, ("PDF", "pdf"), "tirek-consent-form.pdf") else { return Ok(None) };
    let pdf = call!(app, app.consent_form(&id, language.into()))?;
    call!(app, app.save_document(&path, &pdf))?;
    Ok(Some(path.display().to_string()))
}

/// Saves a client's complete record as a PDF for the person, in `language`.
#[tauri::command]
#[specta::specta]
pub async fn save_client_record_pdf(
    handle: tauri::AppHandle,
    app: State<'_, App>,
    id: String,
    language: crate::ipc::LanguageCode,
) -> Answer<Option<String>> {
    let Some(path) = choose_path(&handle, ("PDF", "pdf"), "tirek-client-record.pdf") else { return Ok(None) };
    let pdf = call!(app, app.client_record_pdf(&id, language.into()))?;
    call!(app, app.save_document(&path, &pdf))?;
    Ok(Some(path.display().to_string()))
}

/// The clinic's details, if set on this computer.
#[tauri::command]
#[specta::specta]
pub fn clinic(app: State<'_, App>) -> Option<ClinicInput> {
    app.clinic()
}

/// Checks and saves the clinic's details.
#[tauri::command]
#[specta::specta]
pub fn set_clinic(app: State<'_, App>, input: ClinicInput) -> Answer<ClinicInput> {
    call!(app, app.set_clinic(&input))
}

/// The questionnaires available.
#[tauri::command]
#[specta::specta]
pub fn instruments(app: State<'_, App>) -> Vec<tirek_app::instruments::InstrumentSummary> {
    app.instruments()
}

/// One questionnaire whole, in `language`, for filling in: stem, items, options.
#[tauri::command]
#[specta::specta]
pub fn instrument_form(
    app: State<'_, App>,
    id: String,
    language: crate::ipc::LanguageCode,
) -> Answer<tirek_app::instruments::InstrumentForm> {
    call!(app, app.instrument_form(&id, language.into()))
}

/// Scores answers without saving them (the live total while filling in).
#[tauri::command]
#[specta::specta]
pub fn score_answers(
    app: State<'_, App>,
    id: String,
    answers: Vec<Option<i32>>,
) -> Answer<tirek_app::instruments::ScoreView> {
    call!(app, app.score(&id, &answers))
}

/// Saves a filled-in questionnaire; safety rules that fire raise flags.
#[tauri::command]
#[specta::specta]
pub fn add_assessment(
    app: State<'_, App>,
    client_id: String,
    input: tirek_app::AssessmentInput,
) -> Answer<tirek_app::AssessmentView> {
    call!(app, app.add_assessment(&client_id, &input))
}

/// Imports a licensed questionnaire's full text from a file the user picks; `None`
/// when the dialog was cancelled.
#[tauri::command]
#[specta::specta]
pub async fn import_instrument(
    handle: tauri::AppHandle,
    app: State<'_, App>,
    title: String,
) -> Answer<Option<tirek_app::instruments::InstrumentSummary>> {
    use tauri_plugin_dialog::DialogExt as _;
    let picked = handle.dialog().file().set_title(title).add_filter("TOML", &["toml"]).blocking_pick_file();
    let Some(path) = picked.and_then(|path| path.into_path().ok()) else { return Ok(None) };
    call!(app, app.import_instrument(&path)).map(Some)
}

/// A client's questionnaires over time, with reliable change.
#[tauri::command]
#[specta::specta]
pub fn assessments(
    app: State<'_, App>,
    client_id: String,
    instrument: Option<String>,
) -> Answer<Vec<tirek_app::AssessmentView>> {
    call!(app, app.assessments(&client_id, instrument.as_deref()))
}

/// A client's questionnaires as trends: the chart laid out, and answers item by item.
#[tauri::command]
#[specta::specta]
pub fn assessment_trends(app: State<'_, App>, client_id: String) -> Answer<Vec<tirek_app::InstrumentTrend>> {
    call!(app, app.assessment_trends(&client_id))
}

/// Every active client's latest result on each instrument, most severe first.
#[tauri::command]
#[specta::specta]
pub fn latest_results(app: State<'_, App>) -> Answer<Vec<tirek_app::LatestResult>> {
    call!(app, app.latest_results())
}

/// Checks the psychologist's password without locking (leaving the parent's screen).
#[tauri::command]
#[specta::specta]
pub fn confirm_password(app: State<'_, App>, password: String) -> Answer<()> {
    call!(app, app.confirm_password(&password))
}

/// Repeats a questionnaire for a client every N weeks.
#[tauri::command]
#[specta::specta]
pub fn schedule_instrument(
    app: State<'_, App>,
    client_id: String,
    instrument: String,
    every_weeks: u32,
) -> Answer<String> {
    call!(app, app.schedule_instrument(&client_id, &instrument, every_weeks))
}

/// Stops a questionnaire schedule.
#[tauri::command]
#[specta::specta]
pub fn stop_schedule(app: State<'_, App>, id: String) -> Answer<()> {
    call!(app, app.stop_schedule(&id))
}

/// A client's questionnaire schedules, with when each is next due.
#[tauri::command]
#[specta::specta]
pub fn schedules(app: State<'_, App>, client_id: String) -> Answer<Vec<tirek_app::ScheduleView>> {
    call!(app, app.schedules(&client_id))
}

/// Raises a risk flag of the psychologist's own judgement.
#[tauri::command]
#[specta::specta]
pub fn raise_flag(app: State<'_, App>, client_id: String) -> Answer<String> {
    call!(app, app.raise_flag(&client_id))
}

/// Completes and signs a flag's risk form.
#[tauri::command]
#[specta::specta]
pub fn sign_risk_form(app: State<'_, App>, id: String, input: tirek_app::RiskFormInput) -> Answer<()> {
    call!(app, app.sign_risk_form(&id, &input))
}

/// Resolves a flag whose risk form is signed.
#[tauri::command]
#[specta::specta]
pub fn resolve_flag(app: State<'_, App>, id: String, resolution: String) -> Answer<()> {
    call!(app, app.resolve_flag(&id, &resolution))
}
