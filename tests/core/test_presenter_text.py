"""What the presenter's window says, from the section and the state of the room, without a screen."""

from __future__ import annotations

from pathlib import Path

from trainer_desk.core.audience_view import AudienceView
from trainer_desk.core.lesson_plan import Section, SectionKind, Video
from trainer_desk.core.presenter_text import (
    clock_button,
    end_question,
    missing_film,
    next_up,
    notes_markdown,
    room_sees,
    screen_choice,
    script_markdown,
    script_sizes,
    section_heading,
    time_taught,
)


def section(
    script: str = "Say hello.", prompts: tuple[str, ...] = (), video: Video | None = None, title: str = "Banter or not?"
) -> Section:
    return Section(
        id="open",
        title=title,
        kind=SectionKind.QUESTION_ROUND,
        minutes=12,
        objectives=(),
        script=script,
        audience="",
        prompts=prompts,
        video=video,
    )


def test_the_heading_numbers_the_section_from_one_and_names_its_kind_in_words() -> None:
    heading = section_heading(2, section())
    assert "3. Banter or not?" in heading
    assert "question round, 12 minutes" in heading


def test_the_script_leaves_out_its_own_title_and_ends_with_its_prompts() -> None:
    shown = script_markdown(section("# Banter or not?\n\nAsk the room.\n\n## Notes\nKeep it light.", ("Who laughed?",)))
    assert shown == "Ask the room.\n\n**Prompts**\n\n- Who laughed?"
    assert "Keep it light" not in shown


def test_notes_say_there_are_none_rather_than_showing_an_empty_box() -> None:
    assert notes_markdown(section("Ask the room.")) == "*No notes for this section.*"
    assert notes_markdown(section("Ask the room.\n## Notes\nKeep it light.")) == "Keep it light."


def test_after_the_last_section_comes_the_end_of_the_session() -> None:
    assert next_up(section()) == "Next: Banter or not? (12 min)"
    assert next_up(None) == "Next: end of session"


def test_a_film_missing_from_the_laptop_is_named_and_the_trainer_told_to_carry_on(tmp_path: Path) -> None:
    there = tmp_path / "there.mp4"
    there.write_bytes(b"film")
    assert missing_film(section(video=Video(there, tmp_path / "there.vtt"))) == ""
    assert missing_film(section()) == ""
    said = missing_film(section(video=Video(tmp_path / "gone.mp4", tmp_path / "gone.vtt")))
    assert said == "The video gone.mp4 is missing on this laptop. Carry on without it."


def test_a_film_taken_off_the_room_s_screen_is_said_to_be_paused() -> None:
    assert room_sees(AudienceView.BLANK, film_held=True) == "The audience screen is blank. The film is paused."
    assert room_sees(AudienceView.SIGNPOSTING, film_held=False) == "The audience sees the signposting card."
    assert room_sees(AudienceView.CONTENT, film_held=True) == "The audience sees this section."
    assert room_sees(AudienceView.SIGNPOSTING, False, 1, 2) == (
        "The audience sees the signposting card. Page 1 of 2: Next turns the page."
    )


def test_on_a_text_s_last_page_next_is_said_to_go_on_to_the_next_section_not_to_turn_the_page() -> None:
    film = section(title="Film: what it was like")
    assert room_sees(AudienceView.SIGNPOSTING, False, 2, 2, (1, film)) == (
        "The audience sees the signposting card. Page 2 of 2: Next goes on to 2. Film: what it was like."
    )
    asked = section(title="Question round: what would you do?")
    assert room_sees(AudienceView.CONTENT, False, 3, 3, (6, asked)) == (
        "The audience sees this section. Page 3 of 3: Next goes on to 7. Question round: what would you do?"
    )
    assert room_sees(AudienceView.CONTENT, False, 2, 2) == (
        "The audience sees this section. Page 2 of 2, the last page of the last section: Next does nothing more."
    )
    assert room_sees(AudienceView.CONTENT, False, 1, 1, (1, film)) == "The audience sees this section."


def test_the_clock_button_says_what_it_will_do_and_an_untaught_section_shows_a_dash() -> None:
    assert clock_button(paused=True) == "Resume clock"
    assert clock_button(paused=False) == "Pause clock"
    assert time_taught(0) == "-"
    assert time_taught(75) == "1:15"


def test_the_script_type_stays_readable_and_the_notes_a_little_smaller() -> None:
    assert script_sizes(15) == (15, 12)
    assert script_sizes(4) == (10, 9)
    assert script_sizes(60) == (40, 37)


def test_an_unnamed_screen_is_named_by_its_place_in_the_list() -> None:
    assert screen_choice(2, "", 1024, 768) == "Audience on screen 2 (1024x768)"
    assert screen_choice(1, "HDMI-1", 1920, 1080) == "Audience on HDMI-1 (1920x1080)"


def test_ending_a_session_says_the_register_stays_open_and_a_rehearsal_does_not() -> None:
    session = end_question(rehearsal=False)
    assert session.title == "End the session" and session.confirm == "End session"
    assert "The register and feedback stay open until you close the session." in session.text
    rehearsal = end_question(rehearsal=True)
    assert rehearsal.text == "End this rehearsal and close the presenter and audience screens?"
