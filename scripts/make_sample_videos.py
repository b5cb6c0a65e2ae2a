#!/usr/bin/env python3
"""Render the bundled sample videos (narrated title cards) from ``*.cards.toml`` files.

Each ``<name>.cards.toml`` becomes ``<name>.mp4`` (H.264/AAC) and ``<name>.vtt`` (WebVTT
captions) beside it. Sample films are generated rather than committed by hand so that anyone
can rebuild them, byte for byte, after editing the narration. See docs/lesson-plan-format.md,
section 'Videos', for the file format.

Usage:
    python scripts/make_sample_videos.py                 # every plan under lesson_plans/
    python scripts/make_sample_videos.py lesson_plans/x  # only these plan folders (or cards files)
    python scripts/make_sample_videos.py --force         # rebuild even if up to date
    python scripts/make_sample_videos.py --check         # list missing/stale videos; exit 1 if any

Needs the ``ffmpeg`` and ``espeak-ng`` executables, the DejaVu fonts (fonts-dejavu-core) and Pillow.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import tomllib
import wave
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

REPO = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT, FPS = 1280, 720, 25
SPEED, LEAD_S, PAD_S = 160, 0.25, 0.8  # words per minute; silence before speech; total silence
CUE_WIDTH, CUE_LINES = 42, 2  # caption line length and lines per cue (~84 characters)
BG, ACCENT, TITLE_FG, BODY_FG, FOOT_FG = "#0f1e3c", "#4f9be8", "#ffffff", "#d3deef", "#8d9cb8"
FOOTER = "Sample film — replace with your force's own"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


class BuildError(Exception):
    """A problem with one video, reported at the end instead of aborting the whole run."""


@dataclass
class Card:
    title: str
    body: str
    narration: str


def load_cards(path: Path) -> tuple[str, list[Card]]:
    """Parse and validate a cards file, so typos fail loudly instead of producing odd films."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BuildError(f"not valid TOML: {exc}") from exc
    if unknown := set(data) - {"voice", "cards"}:
        raise BuildError(f"unknown key(s) {sorted(unknown)}; expected 'voice' and [[cards]]")
    voice = data.get("voice", "en-gb")
    cards = data.get("cards")
    if not isinstance(voice, str) or not re.fullmatch(r"[A-Za-z0-9_+-]+", voice):
        raise BuildError(f"'voice' must be an espeak-ng voice name like 'en-gb', got {voice!r}")
    if not isinstance(cards, list) or not cards or not all(isinstance(c, dict) for c in cards):
        raise BuildError("needs at least one [[cards]] table")
    result = []
    for n, card in enumerate(cards, 1):
        if unknown := set(card) - {"title", "body", "narration"}:
            raise BuildError(f"card {n}: unknown key(s) {sorted(unknown)}")
        for key, required in (("title", True), ("narration", True), ("body", False)):
            value = card.get(key, None if required else "-")
            if not isinstance(value, str) or not value.strip():
                raise BuildError(f"card {n}: '{key}' must be a non-empty string")
        title, body = card["title"].strip(), card.get("body", "").strip()
        result.append(Card(title, body, " ".join(card["narration"].split())))
    return voice, result


def find_font(bold: bool) -> Path:
    """Locate DejaVu Sans via fontconfig, falling back to Debian's standard path."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    if shutil.which("fc-match"):
        style = "Bold" if bold else "Book"
        cmd = ["fc-match", "-f", "%{file}", f"DejaVu Sans:style={style}"]
        out = subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
        if Path(out).name == name and Path(out).is_file():
            return Path(out)
    if (FONT_DIR / name).is_file():
        return FONT_DIR / name
    raise SystemExit(f"error: font {name} not found; install the DejaVu fonts (fonts-dejavu-core)")


def wrap_px(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Wrap text to a pixel width, keeping the author's own line breaks."""
    lines: list[str] = []
    for para in text.splitlines() or [""]:
        line = ""
        for word in para.split():
            trial = f"{line} {word}".strip()
            if line and font.getlength(trial) > width:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return lines


def draw_card(card: Card, fonts: tuple[Path, Path], out: Path) -> None:
    """Draw one card; shrink the text until it fits so long titles never run off screen."""
    img = Image.new("RGB", (WIDTH, HEIGHT), BG)
    draw = ImageDraw.Draw(img)
    margin, foot_top, text_w = 80, HEIGHT - 90, WIDTH - 160
    for scale in (1.0, 0.9, 0.8, 0.7, 0.6):
        tfont = ImageFont.truetype(str(fonts[0]), round(68 * scale))
        bfont = ImageFont.truetype(str(fonts[1]), round(38 * scale))
        tlines = wrap_px(card.title, tfont, text_w)
        blines = wrap_px(card.body, bfont, text_w) if card.body else []
        th, bh = round(tfont.size * 1.2), round(bfont.size * 1.4)
        block = 30 + len(tlines) * th + (40 + len(blines) * bh if blines else 0)
        if block <= foot_top - 2 * 60:
            break
    else:
        raise BuildError(f"card '{card.title[:40]}': title and body too long to fit on one card")
    y = max(60, (foot_top - block) // 2)
    draw.rectangle((margin, y, margin + 120, y + 8), fill=ACCENT)
    y += 30
    for line in tlines:
        draw.text((margin, y), line, font=tfont, fill=TITLE_FG)
        y += th
    y += 40
    for line in blines:
        draw.text((margin, y), line, font=bfont, fill=BODY_FG)
        y += bh
    draw.line((margin, foot_top, WIDTH - margin, foot_top), fill="#2a3d63", width=2)
    ffont = ImageFont.truetype(str(fonts[1]), 24)
    draw.text((margin, foot_top + 24), FOOTER, font=ffont, fill=FOOT_FG)
    img.save(out, "PNG")


def speak(text: str, voice: str, work: Path, stem: str) -> Path:
    """Speak via a text file (not argv) so narration starting with '-' is never an option."""
    txt, wav = work / f"{stem}.txt", work / f"{stem}.wav"
    txt.write_text(text, encoding="utf-8")
    cmd = ["espeak-ng", "-v", voice, "-s", str(SPEED), "-w", str(wav), "-f", str(txt)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0 or not wav.is_file():
        raise BuildError(f"espeak-ng failed (voice {voice!r}): {proc.stderr.strip()[-500:]}")
    return wav


def caption_chunks(text: str) -> list[str]:
    """Split narration into cues of at most two short lines, ending cues at sentence breaks."""
    chunks: list[str] = []
    current = ""
    for word in text.split():
        joined = f"{current} {word}".strip()
        if current and len(textwrap.wrap(joined, CUE_WIDTH)) > CUE_LINES:
            chunks.append(current)
            joined = word
        current = joined
        if (word[-1] in ".!?" and len(current) >= 30) or (word[-1] in ",;:" and len(current) >= 60):
            chunks.append(current)
            current = ""
    if current:
        chunks.append(current)
    return chunks


def stamp(ms: int) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    return f"{h:02d}:{m:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def card_cues(narration: str, start_ms: int, dur_ms: int, speech_ms: float) -> list[str]:
    """Spread cues over the speech by text length; together they cover the card exactly."""
    chunks = caption_chunks(narration)
    total, done, cue_start = sum(len(c) for c in chunks), 0, start_ms
    speech_start = start_ms + round(LEAD_S * 1000)
    cues = []
    for i, chunk in enumerate(chunks):
        done += len(chunk)
        last = i == len(chunks) - 1
        cue_end = start_ms + dur_ms if last else speech_start + round(speech_ms * done / total)
        text = "\n".join(textwrap.wrap(chunk, CUE_WIDTH))
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        cues.append(f"{stamp(cue_start)} --> {stamp(cue_end)}\n{text}\n")
        cue_start = cue_end
    return cues


def run_ffmpeg(args: list[str]) -> None:
    cmd = ["ffmpeg", "-hide_banner", "-nostdin", "-y", "-loglevel", "error", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = "\n    ".join(proc.stderr.strip().splitlines()[-12:])
        raise BuildError(f"ffmpeg failed (exit {proc.returncode}):\n    {tail}")


def encode(cards: list[tuple[Path, int]], wav: Path, rate: int, out: Path) -> None:
    """Encode (image, ms) cards and one audio track; flags chosen for small, stable files."""
    inputs: list[str] = []
    for png, ms in cards:
        inputs += ["-loop", "1", "-framerate", str(FPS), "-t", f"{ms / 1000:.3f}", "-i", str(png)]
    chain = "".join(f"[{i}:v]" for i in range(len(cards)))
    vfilter = f"{chain}concat=n={len(cards)}:v=1:a=0,scale=out_color_matrix=bt709,format=yuv420p[v]"
    run_ffmpeg([
        *inputs, "-i", str(wav), "-filter_complex", vfilter,
        "-map", "[v]", "-map", f"{len(cards)}:a",
        "-c:v", "libx264", "-preset", "slow", "-crf", "30", "-tune", "stillimage",
        "-threads", "4",  # a fixed thread count keeps x264's output identical across machines
        "-r", str(FPS), "-g", str(2 * FPS), "-pix_fmt", "yuv420p",
        "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709",
        "-c:a", "aac", "-b:a", "64k", "-ac", "1", "-ar", str(rate),
        "-map_metadata", "-1", "-map_chapters", "-1", "-fflags", "+bitexact",
        "-flags:v", "+bitexact", "-flags:a", "+bitexact",
        "-movflags", "+faststart", "-f", "mp4", str(out),
    ])  # fmt: skip


def build(cards_path: Path, fonts: tuple[Path, Path], mp4: Path, vtt: Path) -> float:
    """Render one film; return its duration in seconds. Outputs appear only when complete."""
    voice, cards = load_cards(cards_path)
    with tempfile.TemporaryDirectory(prefix="sample-video-") as tmp:
        work = Path(tmp)
        parts: list[tuple[Path, int]] = []
        cues: list[str] = []
        audio = bytearray()
        rate, start_ms = 0, 0
        for n, card in enumerate(cards):
            png = work / f"card{n:03d}.png"
            draw_card(card, fonts, png)
            with wave.open(str(speak(card.narration, voice, work, f"card{n:03d}"))) as w:
                if (w.getnchannels(), w.getsampwidth()) != (1, 2) or w.getframerate() % FPS:
                    raise BuildError(f"espeak-ng wrote an unexpected WAV: {w.getparams()}")
                rate, speech = w.getframerate(), w.readframes(w.getnframes())
            per_frame, speech_n = rate // FPS, len(speech) // 2
            frames = math.ceil((speech_n + PAD_S * rate) / per_frame)  # whole video frames
            lead = round(LEAD_S * rate)
            audio += bytes(2 * lead) + speech + bytes(2 * (frames * per_frame - lead - speech_n))
            dur_ms = frames * 1000 // FPS
            parts.append((png, dur_ms))
            cues += card_cues(card.narration, start_ms, dur_ms, speech_n * 1000 / rate)
            start_ms += dur_ms
        wav_path = work / "narration.wav"
        with wave.open(str(wav_path), "wb") as w:
            w.setparams((1, 2, rate, 0, "NONE", "not compressed"))
            w.writeframes(bytes(audio))
        tmp_mp4 = mp4.with_name(f".{mp4.name}.partial")
        tmp_vtt = vtt.with_name(f".{vtt.name}.partial")
        try:
            encode(parts, wav_path, rate, tmp_mp4)
            tmp_vtt.write_text("WEBVTT\n\n" + "\n".join(cues), encoding="utf-8", newline="\n")
            tmp_mp4.replace(mp4)
            tmp_vtt.replace(vtt)
        finally:
            tmp_mp4.unlink(missing_ok=True)
            tmp_vtt.unlink(missing_ok=True)
    return start_ms / 1000


def outputs_for(cards_path: Path) -> tuple[Path, Path]:
    stem = cards_path.name.removesuffix(".cards.toml")
    return cards_path.with_name(f"{stem}.mp4"), cards_path.with_name(f"{stem}.vtt")


def is_stale(cards_path: Path) -> str | None:
    """Say why a film needs rebuilding ('missing'/'stale'), or None if it is up to date."""
    outs = outputs_for(cards_path)
    if not all(p.is_file() for p in outs):
        return "missing"
    newest_input = cards_path.stat().st_mtime
    return "stale" if any(p.stat().st_mtime < newest_input for p in outs) else None


def collect(folders: list[Path]) -> list[Path]:
    found: set[Path] = set()
    for folder in folders:
        if folder.is_file() and folder.name.endswith(".cards.toml"):
            found.add(folder)
        elif folder.is_dir():
            found.update(p for p in folder.rglob("*.cards.toml") if p.is_file())
        else:
            raise SystemExit(f"error: {folder}: not a plan folder or cards file")
    return sorted(found)


def show(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, help="default: all of lesson_plans/")
    parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
    parser.add_argument("--check", action="store_true", help="only list missing/stale videos")
    args = parser.parse_args(argv)
    folders = args.folders or sorted(p for p in (REPO / "lesson_plans").glob("*") if p.is_dir())
    cards_files = collect(folders)
    if not cards_files:
        print("no *.cards.toml files found")
        return 0
    if args.check:
        stale = [(f, why) for f in cards_files if (why := is_stale(f))]
        for cards_path, why in stale:
            print(f"{why}: {show(outputs_for(cards_path)[0])} (from {show(cards_path)})")
        print(f"{len(stale)} of {len(cards_files)} video(s) need rebuilding")
        return 1 if stale else 0
    todo = [f for f in cards_files if args.force or is_stale(f)]
    if missing := [t for t in ("ffmpeg", "espeak-ng") if todo and not shutil.which(t)]:
        print(f"error: required tool(s) not found on PATH: {', '.join(missing)}", file=sys.stderr)
        return 2
    for cards_path in sorted(set(cards_files) - set(todo)):
        print(f"{show(outputs_for(cards_path)[0])}: up to date")
    fonts = (find_font(bold=True), find_font(bold=False)) if todo else (Path(), Path())
    failures: list[str] = []
    for cards_path in todo:
        mp4, vtt = outputs_for(cards_path)
        try:
            seconds = build(cards_path, fonts, mp4, vtt)
        except (BuildError, OSError) as exc:
            failures.append(f"{show(cards_path)}: {exc}")
            print(f"{show(mp4)}: FAILED", file=sys.stderr)
            continue
        print(f"{show(mp4)}  {seconds:.2f} s  {math.ceil(mp4.stat().st_size / 1024)} KB")
    if failures:
        print(f"\n{len(failures)} video(s) failed:", file=sys.stderr)
        for failure in failures:
            print(f"  {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
