//! The real operating-system keyring (Secret Service through gnome-keyring on Linux),
//! not an in-memory stand-in: `cargo xtask test` runs this inside a private D-Bus
//! session with an unlocked gnome-keyring and sets `TIREK_KEYRING_TEST=1`. Run alone
//! without that variable, the test says it was skipped.

use std::process::Command;

use tirek_store::keys::Secret;
use tirek_store::{DeviceSecrets, OsKeyring};

#[test]
fn the_device_secret_lives_in_the_os_keyring() {
    if std::env::var_os("TIREK_KEYRING_TEST").is_none() {
        eprintln!("skipped: run through `cargo xtask test`, which provides a keyring");
        return;
    }
    let profile_id = format!("0000-test-{}", std::process::id());
    let secret = Secret::random();
    OsKeyring.put(&profile_id, &secret).expect("the keyring accepts the secret");

    // Another program sees it in gnome-keyring: the secret left this process.
    let lookup = Command::new("secret-tool")
        .args(["lookup", "service", "kz.tirek.desktop", "username", &profile_id])
        .output()
        .expect("secret-tool runs (package libsecret-tools)");
    assert!(lookup.status.success(), "secret-tool: {}", String::from_utf8_lossy(&lookup.stderr));
    assert_eq!(lookup.stdout, secret.expose(), "gnome-keyring holds exactly the device secret");

    assert_eq!(OsKeyring.get(&profile_id).unwrap(), Some(secret));
    OsKeyring.delete(&profile_id).unwrap();
    assert_eq!(OsKeyring.get(&profile_id).unwrap(), None);
    OsKeyring.delete(&profile_id).expect("deleting twice is fine");
}
