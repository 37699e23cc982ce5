/**
 * PDF triage: {@link org.workbench.pdf.PdfKeywordScanner} counts the keywords analysts look for with a raw,
 * {@code pdfid}-style scan that survives any malformation; {@link org.workbench.pdf.PdfStructure} reads version,
 * encryption, page count and document information with Apache PDFBox 3. Formats per PDF 1.7 (ISO 32000-1).
 */
package org.workbench.pdf;
