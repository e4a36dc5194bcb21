//! Reads, from a 64-bit little-endian ELF executable, which symbol versions it needs
//! from which shared library (`.gnu.version_r`) and which imported symbol needs each
//! (`.dynsym` + `.gnu.version`): enough to refuse a Lambda binary that needs a glibc
//! newer than its runtime has, naming the symbol. No external tool is involved: the
//! parsing — offsets, sizes, string tables, all bounds-checked — is the `object` crate's;
//! this module only picks out the version needs and attributes the imported symbols.

use object::elf::{FileHeader64, ELFCLASS64, ELFDATA2LSB, SHT_DYNSYM};
use object::read::elf::{FileHeader, Sym};
use object::LittleEndian;
use thiserror::Error;

pub const EM_X86_64: u16 = object::elf::EM_X86_64.0;
pub const EM_AARCH64: u16 = object::elf::EM_AARCH64.0;

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

/// `object`'s errors carry a message that is not `'static`-borrowable; each step says
/// which part of the file was wrong instead.
fn malformed(what: &'static str) -> impl Fn(object::read::Error) -> ElfError {
    move |_| ElfError::Malformed(what)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn read(bytes: &[u8]) -> Result<ElfInfo, ElfError> {
    if bytes.len() < 64 || &bytes[..4] != b"\x7fELF" {
        return Err(ElfError::NotElf);
    }
    // Lambda's two architectures, x86_64 and arm64, are both 64-bit little-endian.
    if bytes[4] != ELFCLASS64.0 || bytes[5] != ELFDATA2LSB.0 {
        return Err(ElfError::Unsupported);
    }
    let e = LittleEndian;
    let header = FileHeader64::<LittleEndian>::parse(bytes).map_err(malformed("invalid file header"))?;
    let sections = header.sections(e, bytes).map_err(malformed("the section headers are invalid or lie beyond the end of the file"))?;

    // Version index → (library, version name), from the version-needs section.
    let bad_needs = malformed("invalid version-needs section (.gnu.version_r)");
    let mut needs: Vec<(u16, VersionNeed)> = Vec::new();
    if let Some((mut files, link)) = sections.gnu_verneed(e, bytes).map_err(&bad_needs)? {
        let strings = sections.strings(e, bytes, link).map_err(&bad_needs)?;
        while let Some((file, mut versions)) = files.next().map_err(&bad_needs)? {
            let library = text(file.file(e, strings).map_err(&bad_needs)?);
            while let Some(version) = versions.next().map_err(&bad_needs)? {
                let need = VersionNeed {
                    library: library.clone(),
                    version: text(version.name(e, strings).map_err(&bad_needs)?),
                    symbols: Vec::new(),
                };
                needs.push((version.vna_other(e).index().0, need));
                if version.vna_next.get(e) == 0 {
                    break; // the chain ends here, whatever vn_cnt says
                }
            }
        }
    }

    // Which imported symbol uses which version index.
    let symbols = sections.symbols(e, bytes, SHT_DYNSYM).map_err(malformed("invalid dynamic symbol table (.dynsym)"))?;
    if let Some((versyms, _)) = sections.gnu_versym(e, bytes).map_err(malformed("invalid symbol versions (.gnu.version)"))? {
        for (sym, versym) in symbols.symbols().iter().zip(versyms) {
            if !sym.is_undefined(e) {
                continue; // defined here, not imported
            }
            let index = versym.0.get(e).index().0;
            if let Some((_, need)) = needs.iter_mut().find(|(ix, _)| *ix == index) {
                need.symbols.push(text(sym.name(e, symbols.strings()).map_err(malformed("invalid symbol name"))?));
            }
        }
    }
    Ok(ElfInfo { machine: header.e_machine(e).0, needs: needs.into_iter().map(|(_, n)| n).collect() })
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
        let mut big_endian = vec![0u8; 64];
        big_endian[..7].copy_from_slice(b"\x7fELF\x02\x02\x01");
        assert_eq!(read(&big_endian), Err(ElfError::Unsupported));
        let mut truncated = vec![0u8; 64];
        truncated[..7].copy_from_slice(b"\x7fELF\x02\x01\x01");
        truncated[0x28] = 0xff; // section headers far beyond the end
        truncated[0x3a] = 64;
        truncated[0x3c] = 3;
        assert_eq!(read(&truncated), Err(ElfError::Malformed("the section headers are invalid or lie beyond the end of the file")));
        truncated[6] = 0; // no ELF version: the loader would refuse it too
        assert!(matches!(read(&truncated), Err(ElfError::Malformed(_))));
    }

    /// Rewrites field `at` (bytes into the header) of the first section of type `kind`.
    fn with_section_field(elf: &[u8], kind: object::elf::SectionType, at: usize, value: u64) -> Vec<u8> {
        let header = FileHeader64::<LittleEndian>::parse(elf).unwrap();
        let index = header.section_headers(LittleEndian, elf).unwrap().iter().position(|s| s.sh_type.get(LittleEndian) == kind).unwrap();
        let field = header.e_shoff.get(LittleEndian) as usize + index * 64 + at;
        let mut bytes = elf.to_vec();
        bytes[field..field + 8].copy_from_slice(&value.to_le_bytes());
        bytes
    }

    #[test]
    fn offsets_and_sizes_past_the_end_are_malformed_not_a_panic() {
        let me = std::fs::read(std::env::current_exe().unwrap()).unwrap();
        // sh_offset (24) and sh_size (32) of the sections this reader follows; offsets
        // near u64::MAX overflowed the old hand-written offset arithmetic.
        for kind in [object::elf::SHT_GNU_VERNEED, object::elf::SHT_DYNSYM, object::elf::SHT_GNU_VERSYM, object::elf::SHT_STRTAB] {
            for (at, value) in [(24, u64::MAX), (24, u64::MAX - 1), (24, me.len() as u64), (32, u64::MAX)] {
                let bad = with_section_field(&me, kind, at, value);
                assert!(
                    matches!(read(&bad), Err(ElfError::Malformed(_))),
                    "{kind:?} field {at} = {value:#x}: {:?}",
                    read(&bad).map(|i| i.needs.len())
                );
            }
        }
    }

    #[test]
    fn reads_the_same_from_a_slice_at_any_alignment() {
        let me = std::fs::read(std::env::current_exe().unwrap()).unwrap();
        let mut shifted = vec![0u8];
        shifted.extend_from_slice(&me);
        assert_eq!(read(&shifted[1..]).unwrap(), read(&me).unwrap());
    }

    #[test]
    fn glibc_versions_compare_numerically() {
        assert_eq!(glibc_version("GLIBC_2.34"), Some((2, 34)));
        assert_eq!(glibc_version("GLIBC_2.2.5"), Some((2, 2)));
        assert!(glibc_version("GLIBC_2.36").unwrap() > glibc_version("GLIBC_2.4").unwrap());
        assert_eq!(glibc_version("GCC_3.0"), None);
    }
}
