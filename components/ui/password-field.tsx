"use client";

import { PasswordInput, type PasswordInputProps } from "@mantine/core";

/**
 * PasswordInput whose show/hide toggle is not also named "…password…", so that
 * getByLabel("Password") finds exactly one element.
 */
export function PasswordField(props: PasswordInputProps) {
  return <PasswordInput visibilityToggleButtonProps={{ "aria-label": "Show or hide" }} {...props} />;
}
