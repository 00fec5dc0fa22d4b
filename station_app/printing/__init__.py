"""Receipt and notice layouts drawn with QPainter onto a printer, a PDF or an image."""
