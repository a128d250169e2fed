//! A small W3C WebDriver client: the dozen endpoints the suite uses, over blocking
//! HTTP with a timeout on every request.
//!
//! Written here rather than taken from fantoccini or thirtyfour because the suite
//! needs two things those hide behind an async runtime: a hard timeout per request,
//! and a retry of transport errors. tauri-driver proxies every request to
//! WebKitWebDriver, and about one session in ten sees a connection reset between the
//! two; a retry of the same request is the documented remedy.

use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Value, json};

/// The key under which WebDriver returns an element reference.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
/// How often a request that failed in transport is tried in all.
const ATTEMPTS: u32 = 4;

/// A WebDriver session on one running app.
#[derive(Debug)]
pub struct Session {
    agent: ureq::Agent,
    base: String,
    id: String,
}

/// An element found on the page.
#[derive(Debug, Clone)]
pub struct Element {
    id: String,
    selector: String,
}

impl Session {
    /// Starts the application at `application` with `args` through the tauri-driver
    /// listening on `port`.
    pub fn start(port: u16, application: &str, args: &[String]) -> Result<Session> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(60)))
            .http_status_as_error(false)
            .build()
            .into();
        let base = format!("http://127.0.0.1:{port}");
        let capabilities = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "wry",
                    "tauri:options": { "application": application, "args": args },
                    "timeouts": { "script": 30_000, "pageLoad": 60_000, "implicit": 0 }
                }
            }
        });
        let value = send(&agent, "POST", &format!("{base}/session"), Some(&capabilities))?;
        let id = value["sessionId"].as_str().ok_or_else(|| anyhow!("no sessionId in {value}"))?.to_owned();
        Ok(Session { agent, base, id })
    }

    fn url(&self, path: &str) -> String {
        format!("{}/session/{}{path}", self.base, self.id)
    }

    fn post(&self, path: &str, body: &Value) -> Result<Value> {
        send(&self.agent, "POST", &self.url(path), Some(body))
    }

    fn get(&self, path: &str) -> Result<Value> {
        send(&self.agent, "GET", &self.url(path), None)
    }

    /// Ends the session, which closes the app.
    pub fn end(&self) -> Result<()> {
        send(&self.agent, "DELETE", &self.url(""), None).map(drop)
    }

    /// The element matching the CSS `selector`, waiting up to `timeout` for it.
    pub fn find(&self, selector: &str, timeout: Duration) -> Result<Element> {
        let body = json!({ "using": "css selector", "value": selector });
        let started = Instant::now();
        loop {
            match self.post("/element", &body) {
                Ok(value) => {
                    let id = value[ELEMENT_KEY].as_str().ok_or_else(|| anyhow!("no element id in {value}"))?;
                    return Ok(Element { id: id.to_owned(), selector: selector.to_owned() });
                }
                Err(err) if started.elapsed() >= timeout => {
                    return Err(err.context(format!("no element matches `{selector}` after {timeout:?}")));
                }
                Err(_) => thread::sleep(Duration::from_millis(100)),
            }
        }
    }

    /// Clicks `element`.
    pub fn click(&self, element: &Element) -> Result<()> {
        self.post(&format!("/element/{}/click", element.id), &json!({}))
            .with_context(|| format!("click on `{}`", element.selector))
            .map(drop)
    }

    /// Types `text` into `element`.
    pub fn type_text(&self, element: &Element, text: &str) -> Result<()> {
        self.post(&format!("/element/{}/value", element.id), &json!({ "text": text }))
            .with_context(|| format!("typing into `{}`", element.selector))
            .map(drop)
    }

    /// Empties the input or text area `element`.
    pub fn clear(&self, element: &Element) -> Result<()> {
        self.post(&format!("/element/{}/clear", element.id), &json!({}))
            .with_context(|| format!("clearing `{}`", element.selector))
            .map(drop)
    }

    /// Types `text` (with WebDriver key codes such as Tab `\u{E004}`) into whatever
    /// has the keyboard focus, as a keyboard-only user would.
    pub fn type_into_focus(&self, text: &str) -> Result<()> {
        let value = self.get("/element/active")?;
        let id = value[ELEMENT_KEY].as_str().ok_or_else(|| anyhow!("nothing has the focus: {value}"))?;
        let focused = Element { id: id.to_owned(), selector: "the focused element".to_owned() };
        self.type_text(&focused, text)
    }

    /// The rendered text of `element`.
    pub fn text(&self, element: &Element) -> Result<String> {
        let value = self.get(&format!("/element/{}/text", element.id))?;
        value.as_str().map(str::to_owned).ok_or_else(|| anyhow!("text of `{}` is {value}", element.selector))
    }

    /// An attribute of `element`, `None` when absent.
    pub fn attribute(&self, element: &Element, name: &str) -> Result<Option<String>> {
        let value = self.get(&format!("/element/{}/attribute/{name}", element.id))?;
        Ok(value.as_str().map(str::to_owned))
    }

    /// Runs `script` in the page and returns its result.
    pub fn execute(&self, script: &str) -> Result<Value> {
        self.execute_with(script, &json!([]))
    }

    /// Runs `script` in the page with `args` as its `arguments`.
    pub fn execute_with(&self, script: &str, args: &Value) -> Result<Value> {
        self.post("/execute/sync", &json!({ "script": script, "args": args }))
    }

    /// Sets the window's outer size, as a person with that screen would see it.
    pub fn set_window_size(&self, width: u32, height: u32) -> Result<()> {
        self.post("/window/rect", &json!({ "x": 0, "y": 0, "width": width, "height": height })).map(drop)
    }

    /// A PNG of the window.
    pub fn screenshot(&self) -> Result<Vec<u8>> {
        use base64::Engine as _;
        let value = self.get("/screenshot")?;
        let encoded = value.as_str().ok_or_else(|| anyhow!("screenshot is {value}"))?;
        Ok(base64::engine::general_purpose::STANDARD.decode(encoded)?)
    }
}

/// Sends one WebDriver request and returns its `value`, retrying transport errors.
fn send(agent: &ureq::Agent, method: &str, url: &str, body: Option<&Value>) -> Result<Value> {
    let mut attempt = 1;
    let trace = std::env::var_os("TIREK_E2E_TRACE").is_some();
    loop {
        if trace {
            eprintln!("webdriver: {method} {url} {}", body.map(Value::to_string).unwrap_or_default());
        }
        let result = match (method, body) {
            ("POST", Some(body)) => agent.post(url).send_json(body),
            ("DELETE", _) => agent.delete(url).call(),
            _ => agent.get(url).call(),
        };
        let mut response = match result {
            Ok(response) => response,
            Err(err) if attempt < ATTEMPTS => {
                eprintln!("webdriver: {method} {url}: {err}; retrying ({attempt}/{ATTEMPTS})");
                attempt += 1;
                thread::sleep(Duration::from_millis(500 * u64::from(attempt)));
                continue;
            }
            Err(err) => return Err(anyhow!(err).context(format!("{method} {url}"))),
        };
        let status = response.status();
        let json: Value = response.body_mut().read_json().with_context(|| format!("{method} {url}: not JSON"))?;
        let value = json.get("value").cloned().unwrap_or(Value::Null);
        if !status.is_success() {
            bail!("{method} {url}: {status}: {} {}", value["error"], value["message"]);
        }
        return Ok(value);
    }
}
