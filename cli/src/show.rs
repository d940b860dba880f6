//! Text from outside (decoded payloads, file names, trust-file issuers) as
//! the CLI prints it for people: characters that can move the cursor, erase
//! a line, reorder the text or hide in it are written as escapes, so that a
//! payload cannot forge or hide a verdict line. `--json` keeps exact bytes.

use std::ffi::OsStr;
use std::fmt::Write;

/// `text` with every dangerous character escaped: tab, newline and CR as
/// `\t` `\n` `\r`, other C0 controls and DEL as `\xNN`, everything else
/// [`hidden`] reports as `\u{NNNN}`.
pub fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_text(&mut out, text);
    out
}

/// Bytes that should be text: the valid UTF-8 runs as [`text`] writes them,
/// each byte that is not UTF-8 as `\xNN` (never the replacement character,
/// which would show two different payloads alike).
pub fn bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        push_text(&mut out, chunk.valid());
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out
}

/// A file name for a message: its bytes as [`bytes`] shows them.
pub fn path(path: &OsStr) -> String {
    bytes(path.as_encoded_bytes())
}

fn push_text(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\0'..='\x1f' | '\x7f' => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c if hidden(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
}

/// Characters a terminal does not show as themselves: the C1 controls
/// (U+0080-009F, which include CSI), the line and paragraph separators, and
/// the format characters (general category Cf, Unicode 15.1): bidirectional
/// embeddings, overrides and isolates that reorder what follows them,
/// zero-width characters, the soft hyphen, the byte order mark and the tag
/// characters that can carry invisible text.
pub fn hidden(c: char) -> bool {
    matches!(
        u32::from(c),
        0x80..=0x9f
            | 0xad
            | 0x600..=0x605
            | 0x61c
            | 0x6dd
            | 0x70f
            | 0x890..=0x891
            | 0x8e2
            | 0x180e
            | 0x200b..=0x200f
            | 0x2028..=0x202e
            | 0x2060..=0x2064
            | 0x2066..=0x206f
            | 0xfeff
            | 0xfff9..=0xfffb
            | 0x110bd
            | 0x110cd
            | 0x13430..=0x1343f
            | 0x1bca0..=0x1bca3
            | 0x1d173..=0x1d17a
            | 0xe0001
            | 0xe0020..=0xe007f
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_are_escaped_and_the_rest_kept() {
        assert_eq!(
            text("\x1b[1A\x1b[2K\rciviqr: verified\n"),
            "\\x1b[1A\\x1b[2K\\rciviqr: verified\\n"
        );
        assert_eq!(
            text("https://ex.org/\u{202e}gnp.exe"),
            "https://ex.org/\\u{202e}gnp.exe"
        );
        assert_eq!(text("\u{9b}31m\u{7f}\0"), "\\u{9b}31m\\x7f\\x00");
        assert_eq!(
            text("a\u{2066}b\u{2069}\u{200b}\u{feff}"),
            "a\\u{2066}b\\u{2069}\\u{200b}\\u{feff}"
        );
        assert_eq!(text("\u{e0041}\u{2028}"), "\\u{e0041}\\u{2028}");
        // Letters of any script, accents, emoji and backslashes are kept.
        let plain = "Rue de l\u{2019}\u{c9}glise \u{2013} C\u{153}ur \u{4e2d} \u{1f600} C:\\x";
        assert_eq!(text(plain), plain);
    }

    #[test]
    fn bytes_that_are_not_utf8_stay_distinct() {
        assert_eq!(bytes(b"a\xff\xfe.png"), "a\\xff\\xfe.png");
        assert_ne!(bytes(b"\xff"), bytes(b"\xfe"));
        assert_eq!(bytes("é\x1b".as_bytes()), "é\\x1b");
    }
}
