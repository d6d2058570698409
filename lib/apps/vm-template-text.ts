import { AppError, invalid } from "@/lib/errors";
import { parseTemplate, serializeTemplate } from "@/lib/templates/template-text";

/** A carried VM template must be valid OpenNebula template text; the error names its line. */
export function checkVmTemplate(text: string | undefined): void {
  if (!text?.trim()) return;
  try {
    // what cannot be written back (a value ending in a backslash) could never be imported
    serializeTemplate(parseTemplate(text));
  } catch (err) {
    if (err instanceof AppError) throw invalid("vmTemplate", err.message);
    throw err;
  }
}
