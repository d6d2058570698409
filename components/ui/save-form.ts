import type { UseFormReturnType } from "@mantine/form";
import { notifyError, notifySuccess } from "./notify";

/**
 * The callbacks of a mutation that saves an edit form: the form takes the saved values as its
 * new clean state and says so, or shows the server's field errors.
 */
export function formSaveCallbacks<V extends object, S>(
  form: UseFormReturnType<V>,
  valuesOf: (saved: S) => V,
  message: (saved: S) => string,
) {
  return {
    onSuccess: (saved: S) => {
      form.setValues(valuesOf(saved));
      form.resetDirty(valuesOf(saved));
      notifySuccess(message(saved));
    },
    onError: (err: Error) => notifyError(err, form),
  };
}
