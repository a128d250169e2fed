//! A change record on the wire: the same facts as `tirek_domain::change::ChangeRecord`
//! (entity, record id, each field's old and new value, base revision, HLC, device,
//! per-device sequence number, author), in the JSON shape the local change log
//! already keeps its fields in — `{"field": [old, new]}` — so a device sends what
//! it stored without reshaping it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tirek_domain::change::{ChangeRecord, FieldChange, FieldValue};

/// A field's value: `null`, a whole number or a string. Read by a visitor of its
/// own, not `#[serde(untagged)]`: that buffers each value and tries the variants in
/// turn, formatting an error message for every miss — most of a pull's decoding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum WireValue {
    /// No value.
    Null,
    /// A whole number.
    Integer(i64),
    /// Text.
    Text(String),
}

impl<'de> Deserialize<'de> for WireValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = WireValue;
            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("null, a whole number or a string")
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<WireValue, E> {
                Ok(WireValue::Null)
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<WireValue, E> {
                Ok(WireValue::Null)
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<WireValue, E> {
                Ok(WireValue::Integer(n))
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<WireValue, E> {
                i64::try_from(n)
                    .map(WireValue::Integer)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(n), &self))
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<WireValue, E> {
                Ok(WireValue::Text(text.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, text: String) -> Result<WireValue, E> {
                Ok(WireValue::Text(text))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl From<&FieldValue> for WireValue {
    fn from(value: &FieldValue) -> Self {
        match value {
            FieldValue::Null => Self::Null,
            FieldValue::Integer(n) => Self::Integer(*n),
            FieldValue::Text(text) => Self::Text(text.clone()),
        }
    }
}

impl From<WireValue> for FieldValue {
    fn from(value: WireValue) -> Self {
        match value {
            WireValue::Null => Self::Null,
            WireValue::Integer(n) => Self::Integer(n),
            WireValue::Text(text) => Self::Text(text),
        }
    }
}

/// One change record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireChange {
    /// The device that made it.
    pub device_id: String,
    /// Its place among that device's changes: 1, 2, 3… without gaps.
    pub seq: i64,
    /// Hybrid-logical-clock value (milliseconds << 16 | counter).
    pub hlc: u64,
    /// The entity, e.g. `client`.
    pub entity: String,
    /// The record's id.
    pub record_id: String,
    /// The revision the change was made on; 0 for a new record.
    pub base_revision: i64,
    /// Who made it (the profile that enrolled the device).
    pub author: String,
    /// Each changed field: `[old, new]`.
    pub fields: BTreeMap<String, (WireValue, WireValue)>,
}

impl WireChange {
    /// The wire form of `record`.
    pub fn from_record(record: &ChangeRecord) -> Self {
        Self {
            device_id: record.device_id.clone(),
            seq: record.seq,
            hlc: record.hlc,
            entity: record.entity.clone(),
            record_id: record.entity_id.clone(),
            base_revision: record.base_revision,
            author: record.author.clone(),
            fields: record
                .fields
                .iter()
                .map(|change| (change.field.clone(), ((&change.old).into(), (&change.new).into())))
                .collect(),
        }
    }

    /// The domain's form, fields in name order.
    pub fn into_record(self) -> ChangeRecord {
        ChangeRecord {
            entity: self.entity,
            entity_id: self.record_id,
            fields: self
                .fields
                .into_iter()
                .map(|(field, (old, new))| FieldChange { field, old: old.into(), new: new.into() })
                .collect(),
            base_revision: self.base_revision,
            hlc: self.hlc,
            device_id: self.device_id,
            seq: self.seq,
            author: self.author,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> ChangeRecord {
        ChangeRecord {
            entity: "client".to_owned(),
            entity_id: "0190f5a2-7c1e-7000-8000-000000000001".to_owned(),
            fields: vec![
                FieldChange { field: "archived".to_owned(), old: FieldValue::Integer(0), new: FieldValue::Integer(1) },
                FieldChange {
                    field: "family_name".to_owned(),
                    old: FieldValue::Null,
                    new: FieldValue::Text("Нұрланова".to_owned()),
                },
            ],
            base_revision: 2,
            hlc: (1_750_000_000_000 << 16) | 3,
            device_id: "0190f5a2-0000-7000-8000-00000000000d".to_owned(),
            seq: 42,
            author: "0190f5a2-0000-7000-8000-0000000000a1".to_owned(),
        }
    }

    #[test]
    fn a_change_record_survives_the_wire() {
        let wire = WireChange::from_record(&record());
        let json = serde_json::to_string(&wire).expect("serialises");
        let back: WireChange = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, wire);
        assert_eq!(back.into_record(), record());
    }

    #[test]
    fn fields_keep_the_local_change_logs_shape() {
        let json = serde_json::to_value(WireChange::from_record(&record())).expect("serialises");
        assert_eq!(json["fields"], serde_json::json!({"archived": [0, 1], "family_name": [null, "Нұрланова"]}));
        assert_eq!(json["hlc"], serde_json::json!(114_688_000_000_000_003_u64));
    }

    #[test]
    fn null_whole_numbers_and_text_are_read_from_the_wire_and_from_stored_json() {
        let json = r#"[null, -9223372036854775808, 9223372036854775807, "Әлия ғ қ ң ө ұ ү һ і", ""]"#;
        let expected = vec![
            WireValue::Null,
            WireValue::Integer(i64::MIN),
            WireValue::Integer(i64::MAX),
            WireValue::Text("Әлия ғ қ ң ө ұ ү һ і".to_owned()),
            WireValue::Text(String::new()),
        ];
        assert_eq!(serde_json::from_str::<Vec<WireValue>>(json).expect("parses"), expected);
        let stored: serde_json::Value = serde_json::from_str(json).expect("json");
        assert_eq!(serde_json::from_value::<Vec<WireValue>>(stored).expect("reads"), expected);
    }

    #[test]
    fn values_that_are_neither_null_number_nor_text_are_refused() {
        for bad in ["[1.5, 2]", "[true, null]", "[{}, null]", "[18446744073709551615, null]"] {
            assert!(serde_json::from_str::<(WireValue, WireValue)>(bad).is_err(), "{bad}");
        }
    }
}
