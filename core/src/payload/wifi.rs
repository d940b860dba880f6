//! Wi-Fi network payloads: `WIFI:T:WPA;S:ssid;P:password;H:true;;`, the form
//! phone cameras join networks from, with `\ ; , : "` escaped by a backslash.

use core::fmt;
use core::str::FromStr;

use super::text::{backslash_escape, clip, split_escaped, strip_prefix_ci};
use super::PayloadError;

/// The network's authentication.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WifiAuth {
    /// WPA/WPA2/WPA3 personal (`T:WPA`).
    Wpa,
    /// WEP (`T:WEP`).
    Wep,
    /// An open network (`T:nopass`).
    Open,
}

impl WifiAuth {
    /// `WPA`, `WEP` or `nopass`, as written in the payload.
    pub fn name(self) -> &'static str {
        match self {
            WifiAuth::Wpa => "WPA",
            WifiAuth::Wep => "WEP",
            WifiAuth::Open => "nopass",
        }
    }
}

impl FromStr for WifiAuth {
    type Err = PayloadError;
    /// `WPA` (also `WPA2`, `WPA3`, `SAE`), `WEP`, or `nopass` (also `open`,
    /// `none`), any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_uppercase().as_str() {
            "WPA" | "WPA2" | "WPA3" | "SAE" => Ok(WifiAuth::Wpa),
            "WEP" => Ok(WifiAuth::Wep),
            "NOPASS" | "OPEN" | "NONE" | "" => Ok(WifiAuth::Open),
            _ => Err(PayloadError::InvalidField {
                field: "auth",
                reason: format!("{:?} is not WPA, WEP or nopass", clip(s)),
            }),
        }
    }
}

/// Wi-Fi network credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wifi {
    ssid: String,
    auth: WifiAuth,
    password: String,
    hidden: bool,
}

impl Wifi {
    /// Credentials for network `ssid` (1 to 32 bytes, IEEE 802.11). The
    /// password must suit `auth`: WPA 8 to 63 ASCII characters or 64 hex
    /// digits; WEP 5 or 13 ASCII characters or 10 or 26 hex digits; none for
    /// an open network.
    ///
    /// # Errors
    ///
    /// [`PayloadError::MissingField`] / [`PayloadError::FieldTooLong`] for
    /// `ssid`, [`PayloadError::InvalidField`] for `password`.
    pub fn new(ssid: &str, auth: WifiAuth, password: &str) -> Result<Wifi, PayloadError> {
        if ssid.is_empty() {
            return Err(PayloadError::MissingField { field: "ssid" });
        }
        if ssid.len() > 32 {
            return Err(PayloadError::FieldTooLong {
                field: "ssid",
                max: 32,
                len: ssid.len(),
            });
        }
        let bad = |reason: &str| {
            Err(PayloadError::InvalidField {
                field: "password",
                reason: reason.into(),
            })
        };
        let n = password.len();
        let ascii = password.bytes().all(|b| (0x20..0x7f).contains(&b));
        let hex = password.bytes().all(|b| b.is_ascii_hexdigit());
        match auth {
            WifiAuth::Open if n > 0 => {
                return bad("must be empty for an open network (auth nopass)")
            }
            WifiAuth::Wpa if n == 0 => {
                return Err(PayloadError::MissingField { field: "password" })
            }
            WifiAuth::Wpa if !((8..=63).contains(&n) && ascii || n == 64 && hex) => {
                return bad("WPA needs 8 to 63 printable ASCII characters or 64 hex digits")
            }
            WifiAuth::Wep if !((n == 5 || n == 13) && ascii || (n == 10 || n == 26) && hex) => {
                return bad("WEP needs 5 or 13 ASCII characters or 10 or 26 hex digits")
            }
            _ => {}
        }
        Ok(Wifi {
            ssid: ssid.to_string(),
            auth,
            password: password.to_string(),
            hidden: false,
        })
    }

    /// Marks the network as hidden (`H:true`; default false).
    pub fn hidden(mut self, hidden: bool) -> Wifi {
        self.hidden = hidden;
        self
    }

    /// The network name.
    pub fn ssid(&self) -> &str {
        &self.ssid
    }

    /// The authentication.
    pub fn auth(&self) -> WifiAuth {
        self.auth
    }

    /// The password (empty for open networks).
    pub fn password(&self) -> &str {
        &self.password
    }

    /// Whether the network is hidden.
    pub fn is_hidden(&self) -> bool {
        self.hidden
    }

    /// Reads `WIFI:` fields in any order, undoing backslash escapes. Lenient
    /// where phones are: the password length is not checked, unknown fields
    /// (`E:`, `A:` of enterprise networks) are skipped.
    ///
    /// # Errors
    ///
    /// [`PayloadError::Malformed`] without the prefix, an unknown `T:` value,
    /// and a missing or too long SSID.
    pub fn parse(text: &str) -> Result<Wifi, PayloadError> {
        let rest = strip_prefix_ci(text, "wifi:").ok_or_else(|| PayloadError::Malformed {
            kind: "wifi",
            reason: "no WIFI: prefix".into(),
        })?;
        let (mut ssid, mut password, mut auth, mut hidden) = (None, String::new(), None, false);
        for part in split_escaped(rest, ';') {
            let Some((key, value)) = part.split_once(':') else {
                continue;
            };
            match key.to_ascii_uppercase().as_str() {
                "S" => ssid = Some(value.to_string()),
                "P" => password = value.to_string(),
                "T" => auth = Some(value.parse::<WifiAuth>()?),
                "H" => hidden = value.eq_ignore_ascii_case("true"),
                _ => {}
            }
        }
        let ssid = ssid.unwrap_or_default();
        let auth = auth.unwrap_or(if password.is_empty() {
            WifiAuth::Open
        } else {
            WifiAuth::Wpa
        });
        // Structure checks of `new` without its password rules.
        let mut wifi = Wifi::new(&ssid, WifiAuth::Open, "")?;
        wifi.auth = auth;
        wifi.password = password;
        wifi.hidden = hidden;
        Ok(wifi)
    }
}

impl fmt::Display for Wifi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "WIFI:T:{};S:{};",
            self.auth.name(),
            backslash_escape(&self.ssid)
        )?;
        // A parsed open network may carry a password (phones ignore it):
        // written back, never dropped.
        if self.auth != WifiAuth::Open || !self.password.is_empty() {
            write!(f, "P:{};", backslash_escape(&self.password))?;
        }
        if self.hidden {
            f.write_str("H:true;")?;
        }
        f.write_str(";")
    }
}
