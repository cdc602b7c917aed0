//! Phone numbers to E.164 with only the metadata a number can need.
//!
//! rlibphonenumber decodes and sets up the metadata of all 250 regions the
//! first time it is used: some 4 ms of every process with a contact card.
//! A number can only belong to a country calling code spelt by its own
//! digits (after a `+`, after an international prefix, or its default
//! country's), so each number is read by a library set up with the regions
//! of those codes alone: the 1-, 2- and 3-digit prefixes at every digit of
//! the number, and the default country's. That library extracts the same
//! code from the same digits as the whole one, and validates and formats
//! with the same regions. A number it cannot read or finds invalid is read
//! again by the whole library, so even an error message is its own.
//!
//! `phone_metadata.bin` is rlibphonenumber's own copy of libphonenumber's
//! metadata (Apache-2.0, see `phone_metadata.NOTICE`); a test checks that
//! it is the one in the crate this build uses.

use std::collections::BTreeSet;
use std::sync::{Arc, LazyLock, Mutex};

use prost::Message;
use rlibphonenumber::{
    PhoneMetadata, PhoneMetadataCollection, PhoneNumberFormat, PhoneNumberUtil, Region,
    PHONE_NUMBER_UTIL,
};

static METADATA: &[u8] = include_bytes!("phone_metadata.bin");

/// One region's metadata, still encoded, with its id and calling code.
struct Entry {
    id: &'static str,
    code: i32,
    bytes: &'static [u8],
}

/// The regions of [`METADATA`], found by reading the protocol buffer's
/// field headers (its records are decoded only when used). `None` when it
/// cannot be read: then every number goes to the whole library.
static ENTRIES: LazyLock<Option<Vec<Entry>>> = LazyLock::new(|| entries(METADATA));

/// The library set up for the calling codes asked for so far.
static PARTIAL: Mutex<Option<(BTreeSet<i32>, Arc<PhoneNumberUtil>)>> = Mutex::new(None);

/// Finds where the metadata's regions are: some microseconds, done ahead
/// while the project's files are read.
pub fn prepare() {
    LazyLock::force(&ENTRIES);
}

/// Sets the library up for all of `numbers` at once (a build's contact
/// cards), rather than again for each number that needs a region the ones
/// before it did not.
pub fn prepare_for<'a>(numbers: impl IntoIterator<Item = &'a str>, country: Option<Region>) {
    let Some(entries) = ENTRIES.as_ref() else {
        return;
    };
    let mut codes = country_codes(entries, country);
    for number in numbers {
        codes.extend(candidate_codes(number).into_iter().flatten());
    }
    library_for(entries, codes);
}

/// The library kept, grown (set up again) to have the regions of `codes`
/// when it lacks some; it only ever grows.
fn library_for(entries: &[Entry], mut codes: BTreeSet<i32>) -> Option<Arc<PhoneNumberUtil>> {
    let mut cache = PARTIAL.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((have, util)) = cache.as_ref() {
        if codes.is_subset(have) {
            return Some(util.clone());
        }
        codes.extend(have);
    }
    let util = Arc::new(util_for(entries, &codes)?);
    *cache = Some((codes, util.clone()));
    Some(util)
}

/// The calling codes of `country`'s region.
fn country_codes(entries: &[Entry], country: Option<Region>) -> BTreeSet<i32> {
    let Some(region) = country else {
        return BTreeSet::new();
    };
    let id = region.to_string();
    entries
        .iter()
        .filter(|e| e.id == id)
        .map(|e| e.code)
        .collect()
}

/// Normalises a phone number to E.164, and an international display form.
pub fn normalise(number: &str, country: Option<Region>) -> Result<(String, String), String> {
    if let Some(util) = partial_for(number, country) {
        if let Ok(found) = read_with(&util, number, country) {
            return Ok(found);
        }
    }
    read_with(&PHONE_NUMBER_UTIL, number, country)
}

fn read_with(
    util: &PhoneNumberUtil,
    number: &str,
    country: Option<Region>,
) -> Result<(String, String), String> {
    let parsed = util
        .parse(number, country)
        .map_err(|_| "cannot be read as a phone number".to_string())?;
    if !util.is_valid_number(&parsed) {
        return Err(
            "is not a valid number (check the country code and the number of digits)".into(),
        );
    }
    let e164 = util.format(&parsed, PhoneNumberFormat::E164).into_owned();
    let intl = util
        .format(&parsed, PhoneNumberFormat::International)
        .into_owned();
    Ok((e164, intl))
}

/// A library with the regions `number` can need; `None` when the whole one
/// must read it (digits of a script not known here, metadata unreadable).
fn partial_for(number: &str, country: Option<Region>) -> Option<Arc<PhoneNumberUtil>> {
    let entries = ENTRIES.as_ref()?;
    library_for(entries, needed_codes(entries, number, country)?)
}

/// The calling codes `number` can need read in `country`: its own digits'
/// and the country's.
fn needed_codes(entries: &[Entry], number: &str, country: Option<Region>) -> Option<BTreeSet<i32>> {
    let mut codes = candidate_codes(number)?;
    codes.extend(country_codes(entries, country));
    Some(codes)
}

fn util_for(entries: &[Entry], codes: &BTreeSet<i32>) -> Option<PhoneNumberUtil> {
    let metadata = entries
        .iter()
        .filter(|e| codes.contains(&e.code))
        .map(|e| PhoneMetadata::decode(e.bytes))
        .collect::<Result<Vec<_>, _>>()
        .ok()?;
    PhoneNumberUtil::new_for_metadata(PhoneMetadataCollection { metadata }).ok()
}

/// Every calling code (1 to 3 digits) that starts at one of the number's
/// digits, its letters read as a keypad's (`1 800 FLOWERS`) and skipped;
/// `None` when it has digits of a script [`digit`] does not know.
fn candidate_codes(number: &str) -> Option<BTreeSet<i32>> {
    let mut keypad = Vec::new();
    let mut plain = Vec::new();
    for c in number.chars() {
        if let Some(d) = digit(c) {
            keypad.push(d);
            plain.push(d);
        } else if let Some(d) = keypad_digit(c) {
            keypad.push(d);
        } else if c.is_numeric() {
            return None;
        }
    }
    let mut codes = BTreeSet::new();
    for digits in [&keypad, &plain] {
        for start in 0..digits.len() {
            let mut code = 0;
            for &d in digits[start..].iter().take(3) {
                code = code * 10 + i32::from(d);
                codes.insert(code);
            }
        }
    }
    Some(codes)
}

/// The value of a decimal digit of the scripts a phone number is written
/// in (ASCII, Arabic-Indic and Extended, Devanagari, Bengali, fullwidth and
/// others libphonenumber reads).
fn digit(c: char) -> Option<u8> {
    const ZEROS: [u32; 18] = [
        0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
        0xE50, 0xED0, 0xF20, 0x1040, 0xFF10,
    ];
    let u = c as u32;
    ZEROS
        .iter()
        .find(|&&z| (z..z + 10).contains(&u))
        .map(|&z| (u - z) as u8)
}

fn keypad_digit(c: char) -> Option<u8> {
    let c = c.to_ascii_uppercase();
    Some(match c {
        'A'..='C' => 2,
        'D'..='F' => 3,
        'G'..='I' => 4,
        'J'..='L' => 5,
        'M'..='O' => 6,
        'P'..='S' => 7,
        'T'..='V' => 8,
        'W'..='Z' => 9,
        _ => return None,
    })
}

/// The records of a `PhoneMetadataCollection` (field 1, repeated), with
/// each one's `id` (field 9) and `country_code` (field 10).
fn entries(bytes: &'static [u8]) -> Option<Vec<Entry>> {
    let mut out = Vec::with_capacity(256);
    let mut at = 0;
    while at < bytes.len() {
        let (field, value) = next_field(bytes, &mut at)?;
        let Field::Bytes(record) = value else {
            continue;
        };
        if field != 1 {
            continue;
        }
        let (mut id, mut code, mut inner) = (None, None, 0);
        while inner < record.len() {
            match next_field(record, &mut inner)? {
                (9, Field::Bytes(b)) => id = std::str::from_utf8(b).ok(),
                (10, Field::Int(v)) => code = i32::try_from(v).ok(),
                _ => {}
            }
        }
        out.push(Entry {
            id: id?,
            code: code?,
            bytes: record,
        });
    }
    Some(out)
}

enum Field<'a> {
    Int(u64),
    Bytes(&'a [u8]),
    Other,
}

fn next_field<'a>(bytes: &'a [u8], at: &mut usize) -> Option<(u64, Field<'a>)> {
    let key = varint(bytes, at)?;
    let value = match key & 7 {
        0 => Field::Int(varint(bytes, at)?),
        1 => {
            *at = at.checked_add(8).filter(|&e| e <= bytes.len())?;
            Field::Other
        }
        2 => {
            let len = usize::try_from(varint(bytes, at)?).ok()?;
            let end = at.checked_add(len).filter(|&e| e <= bytes.len())?;
            let b = &bytes[*at..end];
            *at = end;
            Field::Bytes(b)
        }
        5 => {
            *at = at.checked_add(4).filter(|&e| e <= bytes.len())?;
            Field::Other
        }
        _ => return None,
    };
    Some((key >> 3, value))
}

fn varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use rlibphonenumber::PhoneNumberType;
    use std::collections::HashMap;

    #[test]
    fn the_metadata_is_the_libraries_own_and_every_region_is_found() {
        let entries = ENTRIES.as_ref().expect("metadata read");
        let ids: BTreeSet<&str> = entries.iter().map(|e| e.id).collect();
        let regions: BTreeSet<String> = PHONE_NUMBER_UTIL
            .get_supported_regions()
            .map(|r| r.to_string())
            .collect();
        let geographic: BTreeSet<String> = ids
            .iter()
            .filter(|id| **id != "001")
            .map(|id| id.to_string())
            .collect();
        assert_eq!(geographic, regions);
        assert!(entries.iter().any(|e| e.id == "PK" && e.code == 92));
        assert_eq!(entries.iter().filter(|e| e.code == 1).count(), 25);
        // The same bytes as the crate's, where its sources are at hand.
        match crate_metadata() {
            Some(theirs) => assert!(theirs == METADATA, "phone_metadata.bin is out of date"),
            None if std::env::var_os("CI").is_some() => {
                panic!("rlibphonenumber's sources not found under CARGO_HOME")
            }
            None => eprintln!("rlibphonenumber's sources not found: metadata not compared"),
        }
    }

    /// rlibphonenumber's `metadata.bin` in Cargo's registry, of the
    /// version in Cargo.lock.
    fn crate_metadata() -> Option<Vec<u8>> {
        let lock =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock")).ok()?;
        let version = lock
            .split("[[package]]")
            .find(|p| p.contains("name = \"rlibphonenumber\""))?
            .lines()
            .find_map(|l| l.strip_prefix("version = \""))?
            .trim_end_matches('"')
            .to_string();
        let home = std::env::var_os("CARGO_HOME")
            .map(std::path::PathBuf::from)
            .or_else(|| {
                std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".cargo"))
            })?;
        for registry in std::fs::read_dir(home.join("registry/src")).ok()? {
            let path = registry
                .ok()?
                .path()
                .join(format!("rlibphonenumber-{version}"))
                .join("src/generated/metadata/metadata.bin");
            if let Ok(bytes) = std::fs::read(path) {
                return Some(bytes);
            }
        }
        None
    }

    #[test]
    fn every_regions_numbers_read_the_same_as_with_the_whole_library() {
        let regions: Vec<Region> = PHONE_NUMBER_UTIL.get_supported_regions().collect();
        let entries = ENTRIES.as_ref().unwrap();
        let mut utils: HashMap<BTreeSet<i32>, PhoneNumberUtil> = HashMap::new();
        let (mut compared, mut valid) = (0, 0);
        let pk: Region = "PK".parse().unwrap();
        for &region in &regions {
            for kind in [
                PhoneNumberType::FixedLine,
                PhoneNumberType::Mobile,
                PhoneNumberType::TollFree,
            ] {
                let Ok(example) =
                    PHONE_NUMBER_UTIL.get_example_number_for_type_and_region(region, kind)
                else {
                    continue;
                };
                let e164 = PHONE_NUMBER_UTIL.format(&example, PhoneNumberFormat::E164);
                let national = PHONE_NUMBER_UTIL.format(&example, PhoneNumberFormat::National);
                let intl = PHONE_NUMBER_UTIL.format(&example, PhoneNumberFormat::International);
                let digits = e164.trim_start_matches('+');
                let inputs = [
                    e164.to_string(),
                    intl.to_string(),
                    national.to_string(),
                    format!("00 {digits}"),
                    format!("011 {digits}"),
                    format!("{intl} ext. 12"),
                    e164[..e164.len() - 1].to_string(),
                    format!("{e164}9"),
                    format!("tel:{national};phone-context={}", &e164[..4]),
                ];
                // One library for all of them: the regions of their codes
                // together, more than each needs (as the one a build keeps
                // for all its numbers).
                let countries = [None, Some(region), Some(pk)];
                let mut codes = BTreeSet::new();
                for input in &inputs {
                    codes.extend(candidate_codes(input).unwrap());
                }
                for &country in &countries {
                    codes.extend(country_codes(entries, country));
                }
                let util = utils
                    .entry(codes.clone())
                    .or_insert_with(|| util_for(entries, &codes).unwrap());
                for input in &inputs {
                    for country in countries {
                        let whole = read_with(&PHONE_NUMBER_UTIL, input, country);
                        let part = read_with(util, input, country);
                        compared += 1;
                        if whole.is_ok() {
                            valid += 1;
                        }
                        // Never another reading; and whatever the whole
                        // library reads, the partial one reads too.
                        assert_eq!(part, whole, "{input} in {country:?}");
                    }
                }
            }
        }
        assert!(compared > 10_000 && valid > 3_000, "{compared} {valid}");
    }

    #[test]
    fn a_build_reads_its_numbers_as_the_whole_library_does() {
        // One process's numbers, read one after another by the library
        // kept for those so far (and by the whole one where it must).
        let pk: Region = "PK".parse().unwrap();
        let us: Region = "US".parse().unwrap();
        for (input, country) in [
            ("+92 333 1717170", Some(pk)),
            ("0333 1717170", Some(pk)),
            ("+1 202 555 0143", Some(pk)),
            ("+44 20 7946 0958", None),
            ("(202) 555-0143", Some(us)),
            ("(202) 555-0143", Some(pk)),
            ("00 92 333 1717170", Some(pk)),
            ("011 92 333 1717170", Some(us)),
            ("+92 ۳۳۳ ۱۷۱۷۱۷۰", Some(pk)),
            ("+92 ᠓᠓᠓ 1717170", Some(pk)),
            ("+7 495 123-45-67", Some(us)),
            ("+800 1234 5678", None),
            ("+999 1234", None),
            ("", Some(pk)),
            ("+", None),
        ] {
            assert_eq!(
                normalise(input, country),
                read_with(&PHONE_NUMBER_UTIL, input, country),
                "{input} in {country:?}"
            );
        }
    }

    #[test]
    fn numbers_prepared_together_need_no_second_set_up() {
        let pk: Region = "PK".parse().unwrap();
        let numbers = ["+92 333 1717170", "+1 202 555 0143", "+44 20 7946 0958"];
        prepare_for(numbers, Some(pk));
        // The library kept (which only ever grows) has every region these
        // numbers can need: reading them sets nothing up again.
        let kept = PARTIAL.lock().unwrap().as_ref().map(|(c, _)| c.clone());
        let kept = kept.expect("a library set up");
        let entries = ENTRIES.as_ref().unwrap();
        for n in numbers {
            let needed = needed_codes(entries, n, Some(pk)).unwrap();
            assert!(needed.is_subset(&kept), "{n}");
            assert_eq!(
                normalise(n, Some(pk)),
                read_with(&PHONE_NUMBER_UTIL, n, Some(pk))
            );
        }
    }

    #[test]
    fn codes_come_from_every_digit_read_plainly_and_on_a_keypad() {
        let codes = candidate_codes("+1 800 FLOWERS").unwrap();
        for c in [1, 18, 180, 800, 3, 35, 356, 937] {
            assert!(codes.contains(&c), "{c}");
        }
        let codes = candidate_codes("+92 ۳۳۳").unwrap();
        assert!(codes.contains(&92) && codes.contains(&923) && codes.contains(&333));
        // Digits of a script not listed: the whole library reads it.
        assert_eq!(candidate_codes("+92 ᠑᠒"), None);
        assert!(entries(b"\x0a\x05abc").is_none());
        assert_eq!(entries(b"").map(|e| e.len()), Some(0));
    }
}
