//! A structural check of OLE compound files (the container of `.xls`,
//! MS-CFB) before they reach calamine, which 0.38 makes allocate until the
//! process dies (an allocation failure aborts; it is no panic to catch) in
//! three ways, none possible in a sound file, so such files are refused:
//! - a sector chain that loops: calamine follows chains without a bound;
//! - a worksheet whose DIMENSIONS record declares more cells than a sheet
//!   holds: calamine reserves room for all of them at once;
//! - cells spread over more than a sheet: calamine lays each sheet out densely.

use super::spreadsheet::MAX_CELLS;

/// Chain ends and reserved markers start here (MS-CFB 2.1: MAXREGSECT + 1).
const RESERVED: u32 = 0xFFFF_FFFB;

/// DIFAT entries held in the 512-byte header.
const HEADER_DIFAT: usize = 109;

/// Checks the header, the DIFAT chain, that the FAT and the mini FAT hold
/// no loop, and the workbook stream's sheet sizes (see
/// [`check_dimensions`]). The error says what is wrong, for the row report.
pub(super) fn check(bytes: &[u8]) -> Result<(), String> {
    let u16_at = |at: usize| {
        bytes
            .get(at..at + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
    };
    let u32_at = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let short = || "the compound file is shorter than its header".to_string();
    let shift = u16_at(0x1E).ok_or_else(short)?;
    if shift != 9 && shift != 12 {
        return Err(format!(
            "sector size 2^{shift} (a compound file has 512 or 4096)"
        ));
    }
    let size = 1usize << shift;
    // Sector `id` starts at byte (id + 1) * size: the header takes sector -1.
    let sectors = bytes.len() / size;
    let sector = |id: u32| -> Result<&[u8], String> {
        let start = (id as usize + 1).saturating_mul(size);
        bytes
            .get(start..start.saturating_add(size).min(bytes.len()))
            .filter(|s| !s.is_empty())
            .ok_or_else(|| format!("sector {id} is beyond the end of the file"))
    };
    let words = |s: &[u8]| -> Vec<u32> {
        s.chunks_exact(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect()
    };

    // The FAT's own sectors: 109 in the header, the rest in the DIFAT chain
    // (each DIFAT sector ends with the next one's id).
    let mut fat_sectors: Vec<u32> = (0..HEADER_DIFAT)
        .filter_map(|i| u32_at(0x4C + 4 * i))
        .filter(|&id| id < RESERVED)
        .collect();
    let mut next = u32_at(0x44).ok_or_else(short)?;
    let mut steps = 0;
    while next < RESERVED {
        steps += 1;
        if steps > sectors {
            return Err("the DIFAT chain loops".into());
        }
        let mut entries = words(sector(next)?);
        next = entries.pop().unwrap_or(u32::MAX);
        fat_sectors.extend(entries.into_iter().filter(|&id| id < RESERVED));
    }
    if fat_sectors.len() > sectors {
        return Err("the allocation table is larger than the file".into());
    }
    let mut fat = Vec::with_capacity(fat_sectors.len() * size / 4);
    for id in fat_sectors {
        fat.extend(words(sector(id)?));
    }
    no_loop(&fat).map_err(|at| format!("the allocation table loops at sector {at}"))?;

    // The mini FAT is stored in a FAT chain (loop-free by now) and has
    // chains of its own.
    let mut mini = Vec::new();
    let mut id = u32_at(0x3C).ok_or_else(short)?;
    while id < RESERVED {
        mini.extend(words(sector(id)?));
        id = fat.get(id as usize).copied().unwrap_or(u32::MAX);
    }
    no_loop(&mini).map_err(|at| format!("the mini allocation table loops at sector {at}"))?;

    let file = Compound {
        bytes,
        size,
        fat,
        mini,
    };
    match file.workbook()? {
        Some(stream) => check_dimensions(&stream),
        // calamine finds no workbook stream: it reads no sheet.
        None => Ok(()),
    }
}

/// End of a sector chain (MS-CFB 2.1: ENDOFCHAIN).
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;

/// Streams shorter than this are stored in the mini stream (MS-CFB 2.2).
const MINI_CUTOFF: usize = 4096;

/// Mini stream sector size (MS-CFB 2.2).
const MINI_SECTOR: usize = 64;

/// A compound file whose allocation tables are known to be loop-free.
struct Compound<'a> {
    bytes: &'a [u8],
    size: usize,
    fat: Vec<u32>,
    mini: Vec<u32>,
}

impl Compound<'_> {
    /// The workbook stream as calamine finds it: the first directory entry
    /// named "Workbook" (ASCII case ignored), else "Book"; `None` when
    /// there is none. A chain that leaves the file or its table, which no
    /// sound file has, is an error.
    fn workbook(&self) -> Result<Option<Vec<u8>>, String> {
        let u32_at = |b: &[u8], at: usize| {
            b.get(at..at + 4)
                .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
        };
        let short = || "the compound file is shorter than its header".to_string();
        let directory = self.chain(u32_at(self.bytes, 0x30).ok_or_else(short)?, usize::MAX)?;
        // (name, first sector, length) per 128-byte entry.
        let entries: Vec<(String, u32, usize)> = directory
            .chunks_exact(128)
            .map(|e| {
                let units: Vec<u16> = e[..64]
                    .chunks_exact(2)
                    .map(|u| u16::from_le_bytes([u[0], u[1]]))
                    .collect();
                let mut name = String::from_utf16_lossy(&units);
                name.truncate(name.find('\0').unwrap_or(name.len()));
                let len = if self.size == 512 {
                    u32_at(e, 120).map_or(0, |v| v as usize)
                } else {
                    e.get(120..128).map_or(0, |b| {
                        let v =
                            u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
                        usize::try_from(v).unwrap_or(usize::MAX)
                    })
                };
                (name, u32_at(e, 116).unwrap_or(END_OF_CHAIN), len)
            })
            .collect();
        let Some((_, root_start, root_len)) = entries.first() else {
            return Ok(None);
        };
        let Some((_, start, len)) = ["Workbook", "Book"]
            .iter()
            .find_map(|want| entries.iter().find(|e| e.0.eq_ignore_ascii_case(want)))
        else {
            return Ok(None);
        };
        if *len >= MINI_CUTOFF {
            return self.chain(*start, *len).map(Some);
        }
        let stream = self.chain(*root_start, *root_len)?;
        let leaves =
            || "the workbook stream's mini sector chain leaves the mini stream".to_string();
        let mut out = Vec::new();
        let mut id = *start;
        while id != END_OF_CHAIN && out.len() < *len {
            let at = (id as usize).saturating_mul(MINI_SECTOR);
            let sector = stream
                .get(at..at.saturating_add(MINI_SECTOR).min(stream.len()))
                .filter(|s| !s.is_empty())
                .ok_or_else(leaves)?;
            out.extend_from_slice(&sector[..sector.len().min(len - out.len())]);
            id = *self.mini.get(id as usize).ok_or_else(leaves)?;
        }
        Ok(Some(out))
    }

    /// The bytes of the FAT chain from `start`, at most `len` of them (the
    /// FAT is loop-free, so the walk ends).
    fn chain(&self, start: u32, len: usize) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        let mut id = start;
        while id != END_OF_CHAIN && out.len() < len {
            let at = (id as usize).saturating_add(1).saturating_mul(self.size);
            let sector = self
                .bytes
                .get(at..at.saturating_add(self.size).min(self.bytes.len()))
                .filter(|s| !s.is_empty())
                .ok_or_else(|| format!("sector {id} is beyond the end of the file"))?;
            out.extend_from_slice(&sector[..sector.len().min(len - out.len())]);
            id = *self
                .fat
                .get(id as usize)
                .ok_or_else(|| format!("sector {id} is beyond the allocation table"))?;
        }
        Ok(out)
    }
}

/// Refuses a workbook stream that would make calamine allocate more than a
/// sheet of [`MAX_CELLS`] cells: a DIMENSIONS record (MS-XLS 2.4.90) that
/// declares more, counted as calamine counts them, or cell and formula
/// records whose positions span more (calamine lays each sheet's cells out
/// densely; every record position is counted together here, which no sound
/// workbook takes past a sheet's 65,536 rows and 256 columns). Records are
/// walked from the stream's start and from every sheet's position
/// (BoundSheet8 records) to the end of the stream, each record start looked
/// at once.
fn check_dimensions(stream: &[u8]) -> Result<(), String> {
    let mut seen = vec![false; stream.len() + 1];
    let mut span = Span::default();
    let mut sheets = Vec::new();
    walk(stream, 0, &mut seen, &mut span, |typ, data| {
        // BoundSheet8: the sheet's substream starts at lbPlyPos.
        if typ == 0x0085 && data.len() >= 4 {
            sheets.push(u32::from_le_bytes([data[0], data[1], data[2], data[3]]) as usize);
        }
    })?;
    for pos in sheets {
        walk(stream, pos, &mut seen, &mut span, |_, _| ())?;
    }
    let (rows, cols) = span.size();
    if rows.saturating_mul(cols) > MAX_CELLS {
        return Err(format!(
            "its cells span {rows} rows of {cols} columns; a sheet holds at most 65,536 of 256"
        ));
    }
    Ok(())
}

/// The rows and columns that cell and formula records name: first and last.
#[derive(Default)]
struct Span {
    rows: Option<(u32, u32)>,
    cols: Option<(u32, u32)>,
}

impl Span {
    /// Takes in the positions a record of type `typ` gives calamine: row
    /// and column in its first four bytes (MS-XLS 2.5.39, Cell), and for
    /// MulRk the last column in its last two.
    fn add(&mut self, typ: u16, d: &[u8]) {
        // Number, Label, RString, BoolErr, Rk, LabelSst, MulRk, Formula.
        const CELLS: [u16; 8] = [
            0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x00BD, 0x0006,
        ];
        if !CELLS.contains(&typ) || d.len() < 4 {
            return;
        }
        let at = |i: usize| u32::from(u16::from_le_bytes([d[i], d[i + 1]]));
        let widen = |r: &mut Option<(u32, u32)>, v: u32| {
            *r = Some(r.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))));
        };
        widen(&mut self.rows, at(0));
        widen(&mut self.cols, at(2));
        if typ == 0x00BD {
            widen(&mut self.cols, at(d.len() - 2));
        }
    }

    fn size(&self) -> (usize, usize) {
        let n = |r: Option<(u32, u32)>| r.map_or(0, |(lo, hi)| (hi - lo) as usize + 1);
        (n(self.rows), n(self.cols))
    }
}

/// Walks the records (type, length, data) of `stream` from `at`, each
/// passed to `each` and to `span`, until the stream's end, a record it
/// cannot hold, or a record start already `seen` (a walk that went on from
/// there to the end); refuses any DIMENSIONS record that declares too many
/// cells. Past EOF records too: calamine goes on past those of nested
/// substreams.
fn walk(
    stream: &[u8],
    mut at: usize,
    seen: &mut [bool],
    span: &mut Span,
    mut each: impl FnMut(u16, &[u8]),
) -> Result<(), String> {
    while let (Some(head), Some(false)) = (stream.get(at..at + 4), seen.get(at).copied()) {
        seen[at] = true;
        let typ = u16::from_le_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_le_bytes([head[2], head[3]]));
        let Some(data) = stream.get(at + 4..at + 4 + len) else {
            break;
        };
        if typ == 0x0200 {
            if let Some((rows, cols)) = declared_size(data) {
                if rows.saturating_mul(cols) > MAX_CELLS {
                    return Err(format!(
                        "a worksheet declares {rows} rows of {cols} columns (byte {at} of the \
                         workbook stream); a sheet holds at most 65,536 of 256"
                    ));
                }
            }
        }
        span.add(typ, data);
        each(typ, data);
        at += 4 + len;
    }
    Ok(())
}

/// The rows and columns a DIMENSIONS record's data declares, worked out as
/// calamine 0.38 does (wrapping where it wraps); `None` for a length it
/// refuses.
fn declared_size(d: &[u8]) -> Option<(usize, usize)> {
    let u16_at = |at: usize| u32::from(u16::from_le_bytes([d[at], d[at + 1]]));
    let u32_at = |at: usize| u32::from_le_bytes([d[at], d[at + 1], d[at + 2], d[at + 3]]);
    let (first_row, rows_end, mut first_col, cols_end) = match d.len() {
        10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
        14 | 16 => (u32_at(0), u32_at(4), u16_at(8), u16_at(10)),
        _ => return None,
    };
    if first_col > 0xFF || cols_end < first_col {
        first_col = 0;
    }
    if rows_end < 1 || cols_end < 1 {
        return Some((1, 1));
    }
    let span = |first: u32, end: u32| (end - 1).wrapping_sub(first).wrapping_add(1) as usize;
    Some((span(first_row, rows_end), span(first_col, cols_end)))
}

/// Whether following `table[i]` from every `i` always leaves the table (a
/// chain end or a marker): the first index on a loop otherwise.
fn no_loop(table: &[u32]) -> Result<(), usize> {
    // 0: not seen, 1: on the walk in progress, 2: known to end.
    let mut state = vec![0u8; table.len()];
    let mut path = Vec::new();
    for start in 0..table.len() {
        let mut i = start;
        while i < table.len() && state[i] == 0 {
            state[i] = 1;
            path.push(i);
            i = table[i] as usize;
        }
        if i < table.len() && state[i] == 1 {
            return Err(i);
        }
        for &p in &path {
            state[p] = 2;
        }
        path.clear();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/batch/");

    #[test]
    fn a_sound_workbook_passes() {
        let xls = std::fs::read(format!("{FIXTURES}towns.xls")).expect("fixture");
        assert_eq!(check(&xls), Ok(()));
    }

    #[test]
    fn a_looping_allocation_table_is_refused() {
        let mut xls = std::fs::read(format!("{FIXTURES}towns.xls")).expect("fixture");
        // The first FAT sector (the header's first DIFAT entry): point its
        // entry 0 at itself, a loop of one sector.
        let fat0 = u32::from_le_bytes([xls[0x4C], xls[0x4D], xls[0x4E], xls[0x4F]]) as usize;
        let at = (fat0 + 1) * 512;
        xls[at..at + 4].copy_from_slice(&0u32.to_le_bytes());
        let err = check(&xls).expect_err("loop");
        assert!(err.contains("loops"), "{err}");
    }

    #[test]
    fn the_fuzzers_memory_exhausting_xls_is_refused() {
        // Found by the batch_table fuzz target: calamine 0.38 allocated
        // 4 GB on it. The loop check refuses it first.
        let xls = std::fs::read(format!("{FIXTURES}damaged-loop.xls")).expect("fixture");
        assert!(check(&xls).is_err());
    }

    #[test]
    fn the_fuzzers_oversized_dimensions_xls_is_refused() {
        // Found by the batch_table fuzz target: its sheet declares so many
        // cells that calamine 0.38 asked for 2 PB and the process aborted.
        let xls = std::fs::read(format!("{FIXTURES}damaged-dimensions.xls")).expect("fixture");
        let err = check(&xls).expect_err("oversized sheet");
        assert!(err.contains("a sheet holds at most 65,536 of 256"), "{err}");
    }

    #[test]
    fn the_fuzzers_far_apart_cells_xls_is_refused() {
        // Found by the batch_table fuzz target: two cells 65,535 rows and
        // columns apart made calamine 0.38 ask for 137 GB.
        let xls = std::fs::read(format!("{FIXTURES}damaged-cell-span.xls")).expect("fixture");
        let err = check(&xls).expect_err("far-apart cells");
        assert!(err.contains("its cells span"), "{err}");
    }

    #[test]
    fn cells_within_a_sheet_pass_and_beyond_it_are_refused() {
        let number = |row: u16, col: u16| {
            let mut d = row.to_le_bytes().to_vec();
            d.extend(col.to_le_bytes());
            d.extend([0; 10]);
            record(0x0203, &d)
        };
        let sheet = |cells: Vec<Vec<u8>>| {
            let mut s = one_sheet(&biff8_dims(0, 1, 0, 1));
            let eof = s.split_off(s.len() - 4);
            s.extend(cells.concat());
            s.extend(eof);
            s
        };
        assert_eq!(
            check_dimensions(&sheet(vec![number(0, 0), number(65_535, 255)])),
            Ok(())
        );
        let err = check_dimensions(&sheet(vec![number(0, 0), number(65_535, 256)]))
            .expect_err("257 columns");
        assert!(err.contains("65536 rows of 257 columns"), "{err}");
    }

    /// A BIFF record: type, length, data.
    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend((data.len() as u16).to_le_bytes());
        r.extend_from_slice(data);
        r
    }

    /// A workbook stream of one sheet whose DIMENSIONS record has `dims`:
    /// globals (BOF, BoundSheet8, EOF), then the sheet (BOF, DIMENSIONS, EOF).
    fn one_sheet(dims: &[u8]) -> Vec<u8> {
        let bof = record(0x0809, &[0; 16]);
        let eof = record(0x000A, &[]);
        let globals_len = bof.len() + 4 + 8 + eof.len();
        let mut sheet = (globals_len as u32).to_le_bytes().to_vec();
        sheet.extend([0, 0, 1, b'A']);
        let mut stream = [bof.clone(), record(0x0085, &sheet), eof.clone()].concat();
        assert_eq!(stream.len(), globals_len);
        stream.extend([bof, record(0x0200, dims), eof].concat());
        stream
    }

    fn biff8_dims(first_row: u32, rows_end: u32, first_col: u16, cols_end: u16) -> Vec<u8> {
        let mut d = first_row.to_le_bytes().to_vec();
        d.extend(rows_end.to_le_bytes());
        d.extend(first_col.to_le_bytes());
        d.extend(cols_end.to_le_bytes());
        d.extend([0, 0]);
        d
    }

    #[test]
    fn a_sheet_of_at_most_65536_by_256_cells_passes() {
        assert_eq!(
            check_dimensions(&one_sheet(&biff8_dims(0, 65_536, 0, 256))),
            Ok(())
        );
        assert_eq!(
            check_dimensions(&one_sheet(&biff8_dims(9, 40, 2, 7))),
            Ok(())
        );
        // BIFF5's 10-byte record, rows and columns in 16 bits.
        assert_eq!(
            check_dimensions(&one_sheet(&[0, 0, 0xFF, 0x3F, 0, 0, 0, 1, 0, 0])),
            Ok(())
        );
    }

    #[test]
    fn a_sheet_declaring_more_cells_is_refused_with_its_size() {
        let err = check_dimensions(&one_sheet(&biff8_dims(0, 70_000, 0, 256))).expect_err("rows");
        assert!(err.contains("70000 rows of 256 columns"), "{err}");
        // A first row after the last wraps round in calamine's count.
        let err = check_dimensions(&one_sheet(&biff8_dims(10, 5, 0, 1))).expect_err("wrap");
        assert!(err.contains("rows of 1 columns"), "{err}");
    }

    #[test]
    fn every_record_start_is_walked_once() {
        // Thousands of BoundSheet8 records all pointing at the stream's
        // start: each walk stops at the first record start already seen.
        let eof = record(0x000A, &[]);
        let mut stream = Vec::new();
        for _ in 0..5000 {
            stream.extend(record(0x0085, &[0, 0, 0, 0, 0, 0, 1, b'A']));
        }
        stream.extend(eof);
        stream.extend(record(0x0200, &biff8_dims(0, 1 << 30, 0, 256)));
        // Refused: the records past EOF are walked too.
        assert!(check_dimensions(&stream).is_err());
    }

    #[test]
    fn loops_are_found_wherever_they_start() {
        assert_eq!(no_loop(&[1, 2, u32::MAX - 1]), Ok(()));
        assert_eq!(no_loop(&[1, 2, 1]), Err(1));
        assert_eq!(no_loop(&[u32::MAX, 3, u32::MAX, 3]), Err(3));
        assert_eq!(no_loop(&[]), Ok(()));
    }

    #[test]
    fn truncated_headers_are_errors_not_panics() {
        let xls = std::fs::read(format!("{FIXTURES}towns.xls")).expect("fixture");
        for n in [0, 8, 0x1F, 0x4C, 600, 1000] {
            let _ = check(&xls[..n.min(xls.len())]);
        }
    }
}
