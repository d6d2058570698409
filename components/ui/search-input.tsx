"use client";

import { useState } from "react";
import { CloseButton, TextInput } from "@mantine/core";
import { useDebouncedCallback } from "@mantine/hooks";
import { IconSearch } from "@tabler/icons-react";

interface SearchInputProps {
  /** the committed search (from the URL) */
  value: string;
  onChange: (q: string) => void;
  placeholder?: string;
}

/**
 * A search box that commits its text after the user stops typing, or at once when it loses the
 * focus: a filter picked or a link clicked right after typing then comes after the search
 * (see use-list-url-state.ts), instead of the search landing on top of it 300 ms later.
 */
export function SearchInput({ value, onChange, placeholder = "Search…" }: SearchInputProps) {
  const [text, setText] = useState(value);
  const [committed, setCommitted] = useState(value);
  // The URL changed under us (back button, a removed chip): show what it says.
  if (value !== committed) {
    setCommitted(value);
    setText(value);
  }
  const commit = useDebouncedCallback((q: string) => {
    setCommitted(q.trim());
    onChange(q.trim());
  }, 300);

  return (
    <TextInput
      aria-label="Search"
      placeholder={placeholder}
      leftSection={<IconSearch size={16} aria-hidden />}
      rightSection={
        text ? (
          <CloseButton
            aria-label="Clear search"
            size="sm"
            onClick={() => {
              setText("");
              commit("");
            }}
          />
        ) : null
      }
      value={text}
      onBlur={() => commit.flush()}
      onKeyDown={(e) => {
        if (e.key === "Enter") commit.flush();
      }}
      onChange={(e) => {
        setText(e.currentTarget.value);
        commit(e.currentTarget.value);
      }}
      w={{ base: "100%", sm: 280 }}
    />
  );
}
