//! Reads, from a 64-bit little-endian ELF executable, which symbol versions it needs
//! from which shared library (`.gnu.version_r`) and which imported symbol needs each
//! (`.dynsym` + `.gnu.version`): enough to refuse a Lambda binary that needs a glibc
//! newer than its runtime has, naming the symbol. No external tool is involved.

use thiserror::Error;

const SHT_DYNSYM: u32 = 11;
const SHT_GNU_VERNEED: u32 = 0x6fff_fffe;
const SHT_GNU_VERSYM: u32 = 0x6fff_ffff;
pub const EM_X86_64: u16 = 62;
pub const EM_AARCH64: u16 = 183;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum ElfError {
    #[error("not an ELF file")]
    NotElf,
    #[error("not a 64-bit little-endian ELF file")]
    Unsupported,
    #[error("malformed ELF: {0}")]
    Malformed(&'static str),
}

/// A symbol version the executable needs, e.g. `GLIBC_2.34` from `libc.so.6`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionNeed {
    pub library: String,
    pub version: String,
    /// The imported symbols bound to this version.
    pub symbols: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElfInfo {
    pub machine: u16,
    pub needs: Vec<VersionNeed>,
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn bytes(&self, at: u64, len: u64) -> Result<&[u8], ElfError> {
        let start = usize::try_from(at).map_err(|_| ElfError::Malformed("offset out of range"))?;
        let end = start.checked_add(len as usize).ok_or(ElfError::Malformed("offset out of range"))?;
        self.0.get(start..end).ok_or(ElfError::Malformed("a section lies beyond the end of the file"))
    }
    fn u16(&self, at: u64) -> Result<u16, ElfError> {
        Ok(u16::from_le_bytes(self.bytes(at, 2)?.try_into().expect("2 bytes")))
    }
    fn u32(&self, at: u64) -> Result<u32, ElfError> {
        Ok(u32::from_le_bytes(self.bytes(at, 4)?.try_into().expect("4 bytes")))
    }
    fn u64(&self, at: u64) -> Result<u64, ElfError> {
        Ok(u64::from_le_bytes(self.bytes(at, 8)?.try_into().expect("8 bytes")))
    }
    fn cstr(&self, at: u64) -> Result<String, ElfError> {
        let start = usize::try_from(at).map_err(|_| ElfError::Malformed("string out of range"))?;
        let rest = self.0.get(start..).ok_or(ElfError::Malformed("string out of range"))?;
        let end = rest.iter().position(|b| *b == 0).ok_or(ElfError::Malformed("unterminated string"))?;
        Ok(String::from_utf8_lossy(&rest[..end]).into_owned())
    }
}

#[derive(Clone, Copy)]
struct Section {
    kind: u32,
    offset: u64,
    size: u64,
    link: u32,
    info: u32,
}

pub fn read(bytes: &[u8]) -> Result<ElfInfo, ElfError> {
    if bytes.len() < 64 || &bytes[..4] != b"\x7fELF" {
        return Err(ElfError::NotElf);
    }
    if bytes[4] != 2 || bytes[5] != 1 {
        return Err(ElfError::Unsupported);
    }
    let r = Reader(bytes);
    let machine = r.u16(18)?;
    let (shoff, shentsize, shnum) = (r.u64(0x28)?, r.u16(0x3a)? as u64, r.u16(0x3c)? as u64);
    if shentsize < 64 && shnum > 0 {
        return Err(ElfError::Malformed("section header entries are too small"));
    }
    let sections: Vec<Section> = (0..shnum)
        .map(|i| {
            let h = shoff + i * shentsize;
            Ok(Section { kind: r.u32(h + 4)?, offset: r.u64(h + 24)?, size: r.u64(h + 32)?, link: r.u32(h + 40)?, info: r.u32(h + 44)? })
        })
        .collect::<Result<_, ElfError>>()?;
    let section = |i: u32| sections.get(i as usize).copied().ok_or(ElfError::Malformed("a section link points nowhere"));

    // Version index → (library, version name), from the version-needs section.
    let mut needs: Vec<(u16, VersionNeed)> = Vec::new();
    if let Some(vn) = sections.iter().find(|s| s.kind == SHT_GNU_VERNEED) {
        let strtab = section(vn.link)?;
        let mut at = vn.offset;
        for _ in 0..vn.info {
            let (cnt, file, aux, next) = (r.u16(at + 2)?, r.u32(at + 4)?, r.u32(at + 8)?, r.u32(at + 12)?);
            let library = r.cstr(strtab.offset + file as u64)?;
            let mut a = at + aux as u64;
            for _ in 0..cnt {
                let (index, name, anext) = (r.u16(a + 6)?, r.u32(a + 8)?, r.u32(a + 12)?);
                needs.push((
                    index,
                    VersionNeed { library: library.clone(), version: r.cstr(strtab.offset + name as u64)?, symbols: Vec::new() },
                ));
                if anext == 0 {
                    break;
                }
                a += anext as u64;
            }
            if next == 0 {
                break;
            }
            at += next as u64;
        }
    }

    // Which imported symbol uses which version index.
    if let (Some(dynsym), Some(versym)) =
        (sections.iter().find(|s| s.kind == SHT_DYNSYM), sections.iter().find(|s| s.kind == SHT_GNU_VERSYM))
    {
        let strtab = section(dynsym.link)?;
        for i in 0..dynsym.size / 24 {
            let sym = dynsym.offset + i * 24;
            let (name, shndx) = (r.u32(sym)?, r.u16(sym + 6)?);
            if shndx != 0 || i * 2 + 2 > versym.size {
                continue; // defined here, not imported
            }
            let index = r.u16(versym.offset + i * 2)? & 0x7fff;
            if let Some((_, need)) = needs.iter_mut().find(|(ix, _)| *ix == index) {
                need.symbols.push(r.cstr(strtab.offset + name as u64)?);
            }
        }
    }
    Ok(ElfInfo { machine, needs: needs.into_iter().map(|(_, n)| n).collect() })
}

/// `GLIBC_2.34` → (2, 34).
pub fn glibc_version(name: &str) -> Option<(u32, u32)> {
    let v = name.strip_prefix("GLIBC_")?;
    let mut parts = v.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().map_or(Some(0), |m| m.parse().ok())?;
    Some((major, minor))
}

impl ElfInfo {
    /// The newest glibc version any symbol needs.
    pub fn max_glibc(&self) -> Option<(u32, u32)> {
        self.needs.iter().filter_map(|n| glibc_version(&n.version)).max()
    }

    /// The needs newer than `limit`, each with the symbols that need it.
    pub fn glibc_newer_than(&self, limit: (u32, u32)) -> Vec<&VersionNeed> {
        self.needs.iter().filter(|n| glibc_version(&n.version).is_some_and(|v| v > limit)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_this_test_binarys_glibc_needs() {
        let me = std::fs::read(std::env::current_exe().unwrap()).unwrap();
        let info = read(&me).unwrap();
        assert_eq!(info.machine, EM_X86_64);
        let libc: Vec<&VersionNeed> = info.needs.iter().filter(|n| n.library.starts_with("libc.so")).collect();
        assert!(!libc.is_empty(), "{info:?}");
        assert!(libc.iter().any(|n| !n.symbols.is_empty()), "symbols are attributed to versions: {libc:?}");
        assert!(info.max_glibc().unwrap() >= (2, 2));
    }

    #[test]
    fn rejects_what_is_not_a_64_bit_elf() {
        assert_eq!(read(b"#!/bin/sh\necho hi\n"), Err(ElfError::NotElf));
        let mut elf32 = vec![0u8; 64];
        elf32[..6].copy_from_slice(b"\x7fELF\x01\x01");
        assert_eq!(read(&elf32), Err(ElfError::Unsupported));
        let mut truncated = vec![0u8; 64];
        truncated[..6].copy_from_slice(b"\x7fELF\x02\x01");
        truncated[0x28] = 0xff; // section headers far beyond the end
        truncated[0x3a] = 64;
        truncated[0x3c] = 3;
        assert!(matches!(read(&truncated), Err(ElfError::Malformed(_))));
    }

    #[test]
    fn glibc_versions_compare_numerically() {
        assert_eq!(glibc_version("GLIBC_2.34"), Some((2, 34)));
        assert_eq!(glibc_version("GLIBC_2.2.5"), Some((2, 2)));
        assert!(glibc_version("GLIBC_2.36").unwrap() > glibc_version("GLIBC_2.4").unwrap());
        assert_eq!(glibc_version("GCC_3.0"), None);
    }
}
