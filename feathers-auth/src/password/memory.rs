//! The memory one argon2id hash works in, kept between hashes.

use argon2::Block;

use super::ARGON2_MEMORY_KIB;

/// The 19 MiB an argon2id hash under the current parameters works in (one 1 KiB
/// block per KiB of memory cost), allocated at first use and kept for the next hash:
/// a hashing thread holds exactly one, so the memory of a burst of sign-ups is never
/// more than one block per thread, and it is not left to the allocator to give back.
#[derive(Default)]
pub struct HashMemory {
    blocks: Vec<Block>,
}

impl HashMemory {
    /// Memory not yet allocated.
    pub fn new() -> HashMemory {
        HashMemory::default()
    }

    /// The blocks, allocated the first time.
    pub(super) fn blocks(&mut self) -> &mut [Block] {
        if self.blocks.is_empty() {
            self.blocks = vec![Block::new(); ARGON2_MEMORY_KIB as usize];
        }
        &mut self.blocks
    }
}

impl std::fmt::Debug for HashMemory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HashMemory")
            .field("bytes", &(self.blocks.len() * Block::SIZE))
            .finish()
    }
}
