import { notifications } from "@mantine/notifications";
import { ApiError } from "@/components/api/client";

export function notifySuccess(message: string) {
  notifications.show({ color: "green", message });
}

interface FormLike {
  setErrors: (errors: Record<string, string>) => void;
}

/**
 * Shows an API error: field errors next to their fields (when a form is given), the
 * problem's detail as a notification. `groupIds.0` also marks the `groupIds` field.
 */
export function notifyError(err: unknown, form?: FormLike) {
  if (err instanceof ApiError) {
    if (form) {
      const errors = err.fieldErrors();
      for (const [name, reason] of Object.entries(errors)) {
        const head = name.split(".")[0];
        if (head !== name) errors[head] ??= reason;
      }
      form.setErrors(errors);
    }
    notifications.show({ color: "red", title: errorTitle(err.status), message: err.message });
    return;
  }
  notifications.show({ color: "red", title: "Error", message: err instanceof Error ? err.message : String(err) });
}

function errorTitle(status: number): string {
  if (status === 403) return "Not allowed";
  if (status === 404) return "Not found";
  if (status === 409) return "Conflict";
  if (status === 429) return "Too many requests";
  if (status >= 500) return "Server error";
  return "Could not save";
}
