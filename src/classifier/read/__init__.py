"""Reading: a report file's bytes in, its text out.

Decodes text files (UTF-8, UTF-16, GB18030 and other encodings), extracts the text of
.docx, .pdf and saved web pages, folds characters that print alike (``normalize``) and
recognises web-page debris (``debris``). Leaves: a ``Document`` (the text and where it
came from).
"""
