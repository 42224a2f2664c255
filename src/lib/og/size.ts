// How big OG images are; kept apart from the renderer so pages can import it.
export const OG_WIDTH = 1200;
export const OG_HEIGHT = 630;
