use super::*;

#[test]
fn an_email_is_one_a_mailto_link_carries_as_it_is() {
    for good in [
        "ana@firm.com.pk",
        "a.b+memo@sub.example.org",
        "ali@fïrm.com",
    ] {
        assert!(is_email(good), "{good}");
    }
    for bad in [
        "a@@b.com",
        "a@example.com?subject=x",
        "javascript:alert(1)//@x.com",
        "a@b",
        "a@-b.com",
        "a@b..com",
        ".a@b.com",
        "a b@c.com",
    ] {
        assert!(!is_email(bad), "{bad}");
    }
}

#[test]
fn locate_finds_values_after_their_key() {
    let text = "title: ussm\ndeals: [ussm-fwo, ussm]\n";
    assert_eq!(locate(text, "deals", Some("ussm")), (2, 19));
    assert_eq!(locate(text, "deals", None), (2, 1));
    let block = "deals:\n  - a\n  - bad\n";
    assert_eq!(locate(block, "deals", Some("bad")), (3, 5));
    // A top-level key is found before the same key in `translations:`.
    let translated = "translations:\n  ur:\n    figures: [a]\nfigures:\n  - x\n";
    assert_eq!(locate(translated, "figures", None), (4, 1));
    assert_eq!(locate(translated, "ur", None), (2, 3));
    let twice = "languages: [en, ur, en]\n";
    assert_eq!(locate_nth(twice, "languages", Some("en"), 1), (1, 21));
    let lines = "languages:\n  - ur\n  - ur\n";
    assert_eq!(locate_nth(lines, "languages", Some("ur"), 1), (3, 5));
}

#[test]
fn phones_normalise_to_e164() {
    let pk = "PK".parse::<rlibphonenumber::Region>().ok();
    // (input, E.164, international form); the same results
    // `phonenumber` 0.3.10 gave.
    for (input, e164, intl) in [
        ("+92 333 1717170", "+923331717170", "+92 333 1717170"),
        ("0333 1717170", "+923331717170", "+92 333 1717170"),
        ("0092-300-2048048", "+923002048048", "+92 300 2048048"),
        ("0300-1234567", "+923001234567", "+92 300 1234567"),
        ("03001234567", "+923001234567", "+92 300 1234567"),
        // Pakistani landlines: Islamabad, Lahore, a Karachi UAN.
        ("051 2345678", "+92512345678", "+92 51 2345678"),
        ("+92 51 2345678", "+92512345678", "+92 51 2345678"),
        ("042 35761234", "+924235761234", "+92 42 35761234"),
        ("+92 42 35761234", "+924235761234", "+92 42 35761234"),
        (
            "0092 21 111 222 333",
            "+9221111222333",
            "+92 21 111 222 333",
        ),
        // US and UK numbers.
        ("+1 (202) 555-0143", "+12025550143", "+1 202-555-0143"),
        ("+1 212 555 1234", "+12125551234", "+1 212-555-1234"),
        ("+1 650 253 0000", "+16502530000", "+1 650-253-0000"),
        ("+44 20 7946 0958", "+442079460958", "+44 20 7946 0958"),
        // An extension is kept in the display form, not in E.164.
        (
            "+1 415-555-2671 ext. 123",
            "+14155552671",
            "+1 415-555-2671 ext. 123",
        ),
        (
            "+92 51 2345678 x 45",
            "+92512345678",
            "+92 51 2345678 ext. 45",
        ),
        // Urdu, Arabic and full-width digits, letters, extension
        // labels in other scripts and cases, a tel: URI: what the
        // `regex` engine gave before `lite`.
        ("۰۳۳۳ ۱۷۱۷۱۷۰", "+923331717170", "+92 333 1717170"),
        ("٠٣٣٣ ١٧١٧١٧٠", "+923331717170", "+92 333 1717170"),
        ("+۹۲ ۳۳۳ ۱۷۱۷۱۷۰", "+923331717170", "+92 333 1717170"),
        (
            "０３３３　１７１７１７０",
            "+923331717170",
            "+92 333 1717170",
        ),
        (
            "+92 333 1717170 ext. ۱۲",
            "+923331717170",
            "+92 333 1717170 ext. ۱۲",
        ),
        ("+44 (0) 20 7946 0958", "+442079460958", "+44 20 7946 0958"),
        ("+1 800 FLOWERS", "+18003569377", "+1 800-356-9377"),
        (
            "+7 495 123-45-67 ДОБ. 12",
            "+74951234567",
            "+7 495 123-45-67 ext. 12",
        ),
        (
            "+1 202 555 0143 anexo 12",
            "+12025550143",
            "+1 202-555-0143 ext. 12",
        ),
        (
            "tel:+1-202-555-0143;ext=12",
            "+12025550143",
            "+1 202-555-0143 ext. 12",
        ),
    ] {
        let got = normalise_phone(input, pk).unwrap();
        assert_eq!((got.0.as_str(), got.1.as_str()), (e164, intl), "{input}");
    }
    for bad in [
        "12345",
        "call me",
        "+92 333 171717",
        "+92 333 17171700",
        "+1 (123) 456-7890",
        // A US number written nationally reads as Pakistani.
        "(202) 555-0143",
        "+92 333 171717O",
        "+1 202 555 0143 内線12",
    ] {
        assert!(normalise_phone(bad, pk).is_err(), "{bad}");
    }
    // Without a default country a national number cannot be read.
    assert!(normalise_phone("0333 1717170", None).is_err());
    assert!(normalise_phone("+92 333 1717170", None).is_ok());
}
