//! Takes YAML 1.1 timestamp text (`2026-01-27`, `2026-01-27T09:30:00Z`, `2026-01-27 09:30:00 +01:00`) and gives a `PubDate`.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::Offset;
use jiff::{Timestamp, ZonedDateTime as Zoned};

/// A publication date: the instant, and the offset it was written with (so output shows the author's wall time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PubDate {
    zoned: Zoned,
    has_time: bool,
    /// The two forms pages print, formatted once here: one article's dates are printed on its
    /// page, its cards, its feeds, the sitemap and in JSON-LD, and strftime parses its pattern each time.
    rfc3339: Box<str>,
    human: Box<str>,
}

impl PubDate {
    /// Parses any YAML 1.1 timestamp form; a missing offset means UTC.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let bad = |why: &str| {
            format!(
                "`{text}` is not a valid date ({why}); write YYYY-MM-DD or RFC 3339 like 2026-01-27T09:30:00Z"
            )
        };
        let (date_part, rest) = text.split_at(text.find(['T', 't', ' ']).unwrap_or(text.len()));
        let mut nums = date_part.split('-');
        let (Some(y), Some(m), Some(d), None) =
            (nums.next(), nums.next(), nums.next(), nums.next())
        else {
            return Err(bad("expected year-month-day"));
        };
        let num = |s: &str, len: std::ops::RangeInclusive<usize>| -> Result<i64, String> {
            if !len.contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad("expected digits"));
            }
            s.parse::<i64>().map_err(|_| bad("expected digits"))
        };
        let (y, m, d) = (num(y, 4..=4)?, num(m, 1..=2)?, num(d, 1..=2)?);
        let date = Date::new(y as i16, m as i8, d as i8)
            .map_err(|_| bad("that day does not exist in the calendar"))?;
        let rest = rest.trim_start_matches(['T', 't']).trim();
        if rest.is_empty() {
            let zoned = date
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .map_err(|_| bad("out of range"))?;
            return Ok(Self::from_zoned(zoned, false));
        }
        // Split the time from its offset: `09:30:00Z`, `09:30:00.5 +01:00`, `09:30:00-5`.
        let split = rest
            .char_indices()
            .find(|&(i, c)| c == 'Z' || c == 'z' || c == ' ' || ((c == '+' || c == '-') && i > 0))
            .map_or(rest.len(), |(i, _)| i);
        let (time_part, offset_part) = rest.split_at(split);
        let time: Time = time_part
            .parse()
            .map_err(|_| bad("expected a time like 09:30:00"))?;
        let offset_part = offset_part.trim();
        let offset = match offset_part {
            "" | "Z" | "z" => Offset::UTC,
            o => parse_offset(o).ok_or_else(|| bad("expected an offset like +01:00 or Z"))?,
        };
        let zoned = DateTime::from_parts(date, time)
            .to_zoned_datetime(offset.to_time_zone())
            .map_err(|_| bad("out of range"))?;
        Ok(Self::from_zoned(zoned, true))
    }

    fn from_zoned(zoned: Zoned, has_time: bool) -> Self {
        let rfc3339 = zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string().into();
        let human = zoned.strftime("%-d %B %Y").to_string().into();
        Self {
            zoned,
            has_time,
            rfc3339,
            human,
        }
    }

    /// The instant.
    pub fn timestamp(&self) -> Timestamp {
        self.zoned.timestamp()
    }

    /// RFC 3339 with the written offset, e.g. `2026-01-27T09:30:00+01:00`, for feeds, sitemaps and JSON-LD.
    pub fn rfc3339(&self) -> String {
        self.rfc3339.to_string()
    }

    /// `2026-01-27`, for `<time datetime>` when no time was given.
    pub fn ymd(&self) -> String {
        // The date part of the RFC 3339 form, the same `%Y-%m-%d`.
        self.rfc3339
            .split_once('T')
            .map_or(&*self.rfc3339, |(day, _)| day)
            .to_string()
    }

    /// The value for `<time datetime="…">`: the day alone, or the full RFC 3339 stamp.
    pub fn machine(&self) -> String {
        if self.has_time {
            self.rfc3339()
        } else {
            self.ymd()
        }
    }

    /// Human form, e.g. `27 January 2026`.
    pub fn human(&self) -> String {
        self.human.to_string()
    }

    /// Formats with a strftime pattern.
    pub fn format(&self, pattern: &str) -> Result<String, String> {
        let mut out = String::new();
        jiff::fmt::strtime::format(pattern, &self.zoned)
            .map(|s| {
                out.push_str(&s);
                out
            })
            .map_err(|e| e.to_string())
    }
}

fn parse_offset(o: &str) -> Option<Offset> {
    let sign: i32 = match o.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let body = &o[1..];
    // Byte-based splitting below needs ASCII (`+水1` has 4 bytes and would be cut inside a character).
    if !body.is_ascii() {
        return None;
    }
    let (h, m) = match body.split_once(':') {
        Some((h, m)) => (h, m),
        None if body.len() <= 2 => (body, "0"),
        None if body.len() == 4 => body.split_at(2),
        None => return None,
    };
    let h: i32 = h.parse().ok()?;
    let m: i32 = m.parse().ok()?;
    if h > 23 || m > 59 {
        return None;
    }
    Offset::from_seconds(sign * (h * 3600 + m * 60)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_ascii_offset_is_an_error_not_a_panic() {
        // Found in review: the 4-byte offset `+水1` was split at byte 2, inside `水`.
        for bad in [
            "2026-01-01T09:30:00+水1",
            "2026-01-01T09:30:00-éé",
            "2026-01-01T09:30:00+1水",
        ] {
            assert!(PubDate::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_yaml_timestamp_form() {
        assert_eq!(
            PubDate::parse("2026-01-27").unwrap().rfc3339(),
            "2026-01-27T00:00:00+00:00"
        );
        assert_eq!(
            PubDate::parse("2026-01-27T09:30:00Z").unwrap().rfc3339(),
            "2026-01-27T09:30:00+00:00"
        );
        assert_eq!(
            PubDate::parse("2026-01-27 09:30:00 +01:00")
                .unwrap()
                .rfc3339(),
            "2026-01-27T09:30:00+01:00"
        );
        assert_eq!(
            PubDate::parse("2001-12-14 21:59:43.10 -5")
                .unwrap()
                .rfc3339(),
            "2001-12-14T21:59:43-05:00"
        );
        assert_eq!(PubDate::parse("2026-1-7").unwrap().ymd(), "2026-01-07");
        assert_eq!(
            PubDate::parse("2026-01-27t09:30:00z").unwrap().human(),
            "27 January 2026"
        );
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert!(
            PubDate::parse("2026-02-30")
                .unwrap_err()
                .contains("does not exist")
        );
        assert!(PubDate::parse("27/01/2026").is_err());
        assert!(PubDate::parse("2026-01-27T25:00:00Z").is_err());
    }

    #[test]
    fn date_only_is_not_a_timestamp_in_markup() {
        assert_eq!(
            PubDate::parse("2026-01-27").unwrap().machine(),
            "2026-01-27"
        );
        assert_eq!(
            PubDate::parse("2026-01-27T09:30:00Z").unwrap().machine(),
            "2026-01-27T09:30:00+00:00"
        );
    }
}
