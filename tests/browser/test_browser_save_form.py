"""The sidebar's save box in Chromium: a refused save keeps what was typed.

A form can be cleared by the browser itself (Streamlit's clear_on_submit), which an AppTest
does not see: a name that is taken must leave the name and a long note in place.
"""

from __future__ import annotations

from playwright.sync_api import expect

NOTE = ("Giả định: dệt may phục hồi chậm, da giày giữ nhịp năm 2024. " * 5)[:290]


def test_a_refused_save_keeps_the_name_and_the_note(app):
    app.open("/compare")
    form = app.save_form()
    name = form.get_by_label("Tên kịch bản")
    note = form.get_by_label("Ghi chú (không bắt buộc)")
    save = form.get_by_test_id("stFormSubmitButton").get_by_role("button", name="Lưu")

    name.fill("Phương án A")
    save.click()
    expect(app.sidebar.get_by_test_id("stAlert").filter(has_text="Đã lưu «Phương án A».")).to_be_visible()
    expect(name).to_have_value("")  # a save empties the form

    name.fill("Phương án A")  # taken
    note.fill(NOTE)
    save.click()
    expect(app.sidebar.get_by_test_id("stAlert").filter(has_text="Đã có kịch bản tên này")).to_be_visible()
    app.wait_idle()
    expect(name).to_have_value("Phương án A")
    expect(note).to_have_value(NOTE)
