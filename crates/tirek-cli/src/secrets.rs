//! Reading passwords and recovery keys: from the terminal without echo, or — with
//! `--password-stdin` — one per line from standard input, so a script never puts a
//! secret on the command line where `ps` and shell history would keep it.

use std::collections::VecDeque;
use std::io::Read;

use tirek_i18n::Messages;
use zeroize::Zeroizing;

use crate::Failure;

/// Where secrets come from for one command.
#[derive(Debug)]
pub(crate) struct Secrets {
    from_stdin: bool,
    /// Lines read from stdin, read at the first secret a command asks for (so a
    /// command that needs none never waits on stdin).
    lines: Option<VecDeque<Zeroizing<String>>>,
}

impl Secrets {
    /// Secrets from stdin lines when `from_stdin`, otherwise from terminal prompts.
    pub(crate) fn new(from_stdin: bool) -> Secrets {
        Secrets { from_stdin, lines: None }
    }

    fn stdin_lines(&mut self) -> &mut VecDeque<Zeroizing<String>> {
        self.lines.get_or_insert_with(|| {
            let mut all = Zeroizing::new(String::new());
            // An unreadable stdin simply has no lines; the command then says one is missing.
            let _ = std::io::stdin().read_to_string(&mut all);
            all.lines().map(|line| Zeroizing::new(line.trim_end_matches('\r').to_owned())).collect()
        })
    }

    /// The next secret, prompting with the message `prompt` on a terminal.
    pub(crate) fn next(&mut self, messages: &Messages, prompt: &str) -> Result<Zeroizing<String>, Failure> {
        match self.from_stdin {
            true => self.stdin_lines().pop_front().ok_or_else(|| Failure::message(messages, "cli-secret-missing")),
            false => rpassword::prompt_password(format!("{} ", messages.get(prompt)))
                .map(Zeroizing::new)
                .map_err(|_| Failure::message(messages, "cli-secret-missing")),
        }
    }

    /// A new password: on a terminal it is asked twice and must match.
    pub(crate) fn new_password(&mut self, messages: &Messages, prompt: &str) -> Result<Zeroizing<String>, Failure> {
        let password = self.next(messages, prompt)?;
        if !self.from_stdin && *self.next(messages, "cli-password-repeat")? != *password {
            return Err(Failure::message(messages, "cli-password-mismatch"));
        }
        Ok(password)
    }
}
