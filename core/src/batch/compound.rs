//! A structural check of OLE compound files (the container of `.xls`,
//! MS-CFB) before they reach calamine: every sector chain must end. calamine
//! 0.38 follows chains without a bound, so a damaged file whose allocation
//! table loops makes it allocate until the process dies; a loop never occurs
//! in a sound file, so such a file is refused instead.

/// Chain ends and reserved markers start here (MS-CFB 2.1: MAXREGSECT + 1).
const RESERVED: u32 = 0xFFFF_FFFB;

/// DIFAT entries held in the 512-byte header.
const HEADER_DIFAT: usize = 109;

/// Checks the header, the DIFAT chain, and that the FAT and the mini FAT
/// hold no loop. The error says what is wrong, for the row report.
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
    no_loop(&mini).map_err(|at| format!("the mini allocation table loops at sector {at}"))
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
