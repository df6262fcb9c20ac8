"use client";
/**
 * The console's link: next/link that prefetches a page only when the user shows intent (pointer over it, keyboard
 * focus, touch), not when it scrolls into view. Next's default prefetches every link in the viewport; a console page
 * holds dozens (the navigation, an alert or event list's rows), and each prefetch renders its page on the server with
 * the session's scope: about 70 server renders per page view, measured on the alerts list. With intent only, a page
 * view costs one render and a click still finds its page prefetched most of the time (the pattern of Next's
 * prefetching guide, "hover-triggered prefetch"). `prefetch={false}` still turns it off entirely.
 */
import NextLink from "next/link";
import { useState, type ComponentProps } from "react";

export default function Link({ prefetch, onMouseEnter, onFocus, onTouchStart, ...props }: ComponentProps<typeof NextLink>) {
  const [intent, setIntent] = useState(false);
  return (
    <NextLink
      {...props}
      prefetch={prefetch === false || !intent ? false : prefetch}
      onMouseEnter={(e) => {
        setIntent(true);
        onMouseEnter?.(e);
      }}
      onFocus={(e) => {
        setIntent(true);
        onFocus?.(e);
      }}
      onTouchStart={(e) => {
        setIntent(true);
        onTouchStart?.(e);
      }}
    />
  );
}
