"use client";

import { ActionIcon, Box, useComputedColorScheme, useMantineColorScheme } from "@mantine/core";
import { IconMoon, IconSun } from "@tabler/icons-react";

export function ColorSchemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const computed = useComputedColorScheme("light", { getInitialValueInEffect: true });
  return (
    <ActionIcon
      variant="default"
      size="lg"
      aria-label="Toggle color scheme"
      data-testid="color-scheme-toggle"
      onClick={() => setColorScheme(computed === "dark" ? "light" : "dark")}
    >
      {/* Both icons render; CSS shows the right one, so server and client markup agree. */}
      <Box darkHidden aria-hidden style={{ lineHeight: 0 }}>
        <IconSun size={18} />
      </Box>
      <Box lightHidden aria-hidden style={{ lineHeight: 0 }}>
        <IconMoon size={18} />
      </Box>
    </ActionIcon>
  );
}
