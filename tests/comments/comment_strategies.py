"""Hypothesis strategies for comment texts, shared by the server and browser tests."""

from hypothesis import strategies as st

# Characters real comments carry: Arabic letters and tashkeel, emoji (astral, ZWJ
# sequences, skin tones, flags), combining marks, every kind of invisible junk.
ARABIC = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
TASHKEEL = st.sampled_from([chr(c) for c in range(0x064B, 0x0653)] + ["\u0670", "\u0654"])
EMOJI = st.sampled_from(["😀", "👍🏽", "🇮🇶", "👨‍👩‍👧", "❤️", "🤲", "\U0001faef"])
JUNK = st.sampled_from(
    ["\u202e", "\u202d", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c", "\u200b", "\u200c",
     "\u200d", "\u2060", "\ufeff", "\uf06f", "\uf03c", "\U000f0001", "\x00", "\x1b", "\x85"]
)  # fmt: skip
SPACE = st.sampled_from([" ", "\t", "\n", "\r\n", "\r", "\u00a0", "\u2028", "\u3000", "  \n"])
ANY = st.characters(exclude_categories=["Cs"])
# Emoji sequences are several code points: build texts from pieces, not characters.
COMMENT_TEXT = st.lists(st.one_of(ARABIC, TASHKEEL, EMOJI, JUNK, SPACE, ANY), max_size=300).map(
    "".join
)
