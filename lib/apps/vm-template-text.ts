import { invalid } from "@/lib/errors";
import { parseTemplate, TemplateSyntaxError } from "@/lib/templates/template-text";

/** A carried VM template must be valid OpenNebula template text; the error names its line. */
export function checkVmTemplate(text: string | undefined): void {
  if (!text?.trim()) return;
  try {
    parseTemplate(text);
  } catch (err) {
    if (err instanceof TemplateSyntaxError) throw invalid("vmTemplate", err.message);
    throw err;
  }
}
