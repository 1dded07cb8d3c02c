"""Reading: a report file's bytes in, its text out.

Refuses what is not a regular file and inputs past their size limits (``inputs``), decodes
text files (``encodings``: UTF-8, UTF-16 with or without a mark, GB18030, Big5 and other CJK
encodings), extracts the text of .docx, .pdf (``pdf_extract``, ``pdf``) and saved web pages
(``webpage``), folds characters that print alike (``normalize``) and recognises web-page
debris by its shape (``debris``). Leaves: a ``Document`` (the text and where it came from).
"""
