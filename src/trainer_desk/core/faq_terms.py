"""Words as the FAQ search compares them: folded, stop words dropped, endings trimmed, typos mended.

People type questions the way they would ask them ("what counts as banter", "harrassment"), so the search
reduces both the FAQ and the query to the same stems and mends a query word it has never seen to the nearest
word the FAQ does use. Plain Python, so these rules can be read and tested without a database.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_APOSTROPHES = re.compile(r"['\u2018\u2019`]")
_NOT_WORD = re.compile(r"[^a-z0-9]+")

# Function words and question padding: they say how a question is asked, not what it is about.
# Contractions are spelled as folding leaves them ("don't" is "dont").
# fmt: off
STOP_WORDS = frozenset((
    "a", "an", "the", "and", "but", "or", "nor", "if", "then", "than", "so", "as", "because", "yet", "while",
    "about", "above", "after", "again", "against", "at", "before", "below", "between", "by", "down", "during",
    "for", "from", "further", "in", "into", "of", "off", "on", "once", "out", "over", "through", "to", "too",
    "under", "until", "up", "with", "here", "there", "now", "very", "no", "not", "only", "same", "such",
    "i", "me", "my", "myself", "we", "us", "our", "ours", "ourselves", "you", "your", "yours", "yourself",
    "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself", "they",
    "them", "their", "theirs", "themselves", "this", "that", "these", "those", "own", "other", "else", "either",
    "all", "any", "both", "each", "every", "few", "more", "most", "much", "some",
    "someone", "something", "anyone", "anything",
    "am", "is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "having", "do", "does", "did",
    "doing", "can", "could", "will", "would", "should", "may", "might", "must", "shall",
    "get", "gets", "got", "getting", "go", "goes", "going", "gone", "went",
    "what", "when", "where", "which", "who", "whom", "why", "how",
    "just", "really", "actually", "also", "even", "ever", "anymore",
    "aint", "arent", "cant", "couldnt", "didnt", "doesnt", "dont", "hadnt", "hasnt", "havent", "hes", "id", "ill",
    "im", "isnt", "ive", "lets", "shant", "shes", "shouldnt", "thats", "theres", "theyd", "theyll", "theyre",
    "theyve", "wasnt", "wed", "well", "werent", "weve", "whats", "whos", "wont", "wouldnt", "youd", "youll",
    "youre", "youve",
))
# fmt: on

# English past forms and plurals that no suffix rule reaches, mapped to the form the rules do reach.
_IRREGULAR = {
    "men": "man",
    "women": "woman",
    "froze": "freeze",
    "frozen": "freeze",
    "told": "tell",
    "said": "say",
    "says": "say",
    "saw": "see",
    "seen": "see",
    "came": "come",
    "heard": "hear",
    "knew": "know",
    "known": "know",
    "felt": "feel",
    "left": "leave",
    "made": "make",
    "gave": "give",
    "given": "give",
    "took": "take",
    "taken": "take",
    "kept": "keep",
    "found": "find",
    "meant": "mean",
    "spoke": "speak",
    "spoken": "speak",
    "brought": "bring",
    "thought": "think",
    "people": "person",
}

# Endings trimmed after a plural 's', longest first, with what they become and the shortest stem left behind.
_ENDINGS = (
    ("ment", "", 4),
    ("ness", "", 3),
    ("tion", "t", 3),
    ("sion", "s", 3),
    ("ing", "", 3),
    ("ous", "", 4),
    ("ity", "", 4),
    ("ied", "y", 2),
    ("eed", "ee", 3),
    ("ed", "", 3),
    ("ly", "", 4),
)
_VOWELS = frozenset("aeiouy")


def words(text: str) -> list[str]:
    """The words of a text, folded: case, accents and apostrophes ignored ("Don't" is "dont"); other marks split."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", _APOSTROPHES.sub("", text.casefold())).split()


def stem(word: str) -> str:
    """A light suffix stemmer: 'harassed', 'harassment' and 'harass' share a stem, as do 'labelled' and 'label'.

    Not a linguist's root: the FAQ and the query pass through the same rules, so only agreement matters.
    """
    word = _IRREGULAR.get(word, word)
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for _ in range(2):  # 'anonymously': 'anonymous', then 'anonym', which is where 'anonymity' arrives too
        word, trimmed = _trim_ending(word)
        if not trimmed:
            break
    if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "aeiouys":
        word = word[:-1]  # 'labell' (labelled) and 'tell' become 'label' and 'tel', as 'label' and 'telling' do
    if len(word) >= 4 and word.endswith("e") and not word.endswith("ee"):
        word = word[:-1]  # 'challenge' meets 'challenging'
    return word


def stemmed(text: str) -> str:
    """A text as the index holds it: its words' stems, stop words left out."""
    return " ".join(stem(w) for w in words(text) if w not in STOP_WORDS)


def _trim_ending(word: str) -> tuple[str, bool]:
    for ending, replacement, shortest in _ENDINGS:
        base = word[: -len(ending)]
        if word.endswith(ending) and len(base) >= shortest and _VOWELS.intersection(base):
            return base + replacement, True
    return word, False


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of neighbours counts once), or limit + 1 when it exceeds limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        above, row = row, [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            row[j] = min(above[j] + 1, row[j - 1] + 1, above[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], before[j - 2] + 1)
        if min(row) > limit:
            return limit + 1
        before = above
    return min(row[-1], limit + 1)


def typo_allowance(word: str) -> int:
    """How many slips a word of this length may carry and still be recognised: none in short words."""
    if len(word) < 5:
        return 0
    return 1 if len(word) < 9 else 2


@dataclass(frozen=True, slots=True)
class Query:
    stems: tuple[str, ...]  # what to look for in the FAQ's stemmed text
    words: tuple[str, ...]  # the FAQ's own words among them, so that the very word typed ranks first


class Vocabulary:
    """Every word the FAQ uses and its stem: to complete a word being typed and to mend a misspelt one."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.stem_of: dict[str, str] = {}
        for text in texts:
            for word in words(text):
                if word not in STOP_WORDS and word not in self.stem_of:
                    self.stem_of[word] = stem(word)
        self.stems = frozenset(self.stem_of.values())
        self._sorted = sorted(self.stem_of)
        self._mended: dict[str, tuple[str, ...]] = {}

    def completions(self, prefix: str, limit: int = 30) -> tuple[str, ...]:
        """The FAQ's words that start with prefix, shortest first."""
        start = bisect.bisect_left(self._sorted, prefix)
        found: list[str] = []
        for word in self._sorted[start:]:
            if not word.startswith(prefix):
                break
            found.append(word)
        return tuple(sorted(found, key=len)[:limit])

    def corrections(self, word: str) -> tuple[str, ...]:
        """The FAQ's words nearest to a word it does not use, within the word's typo allowance.

        Stems are compared as well as words, so 'sargeants' finds 'sergeant' though it is two slips away.
        """
        if word not in self._mended:
            limit = typo_allowance(word)
            best, nearest = limit + 1, []
            typed_stem = stem(word)
            if limit:
                for known in self._sorted:
                    distance = edit_distance(word, known, min(limit, best))
                    if distance:
                        distance = min(distance, edit_distance(typed_stem, self.stem_of[known], min(limit, best)))
                    if distance < best:
                        best, nearest = distance, [known]
                    elif distance == best <= limit:
                        nearest.append(known)
            self._mended[word] = tuple(nearest[:3])
        return self._mended[word]

    def query(self, text: str) -> Query | None:
        """What to look for, or None when the text has nothing to search by (empty, or only stop words).

        A word the FAQ does not use is replaced by its nearest spellings, or the FAQ's words it begins. The last
        word is taken as still being typed, unless the text ends in a space: the words it begins come first.
        """
        every = words(text)
        typed = [w for w in every if w not in STOP_WORDS]
        if not typed:
            return None
        still_typing = every[-1] == typed[-1] and not text[-1:].isspace()
        stems: list[str] = []
        known: list[str] = []
        for position, word in enumerate(typed):
            if word in self.stem_of:
                known.append(word)
            elif stem(word) in self.stems:
                stems.append(stem(word))
            elif still_typing and position == len(typed) - 1:
                known.extend(self.completions(word) or self.corrections(word))
            else:  # a word cut short ('advocat') is a slip too, when it is long enough to say which word it was
                known.extend(self.corrections(word) or (self.completions(word) if len(word) > 3 else ()))
        stems.extend(self.stem_of[w] for w in known)
        return Query(tuple(dict.fromkeys(stems)), tuple(dict.fromkeys(known)))
