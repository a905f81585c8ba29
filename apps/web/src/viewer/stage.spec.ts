import { AnnotationSchema } from '@caunoi/shared';
import { viewCentre } from './Stage';

describe('text annotations', () => {
  it('a keyboard-placed note goes to the centre of what is shown (pan in content pixels)', () => {
    expect(viewCentre({ pan: { x: 0, y: 0 } }, 200, 100)).toEqual({ x: 0.5, y: 0.5 });
    expect(viewCentre({ pan: { x: 50, y: -25 } }, 200, 100)).toEqual({ x: 0.75, y: 0.25 });
    // Panned past the edge: clamped onto the content.
    expect(viewCentre({ pan: { x: 500, y: -500 } }, 200, 100)).toEqual({ x: 1, y: 0 });
  });

  it('the note the viewer sends is a valid collaboration annotation', () => {
    const at = viewCentre({ pan: { x: 10, y: 10 } }, 256, 256);
    const msg = {
      sessionId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
      attachmentId: '9b2f1c4e-2a7d-4e43-9a51-0d3f6c1b8e21',
      clientId: 'f47ac10b-58cc-4372-a567-0e02b2c3d479',
      page: 1,
      shape: { type: 'text', at: [at.x, at.y], text: 'Nốt mờ thuỳ trên phải' },
    };
    expect(AnnotationSchema.safeParse(msg).success).toBe(true);
    expect(
      AnnotationSchema.safeParse({ ...msg, shape: { ...msg.shape, text: 'x'.repeat(501) } })
        .success,
    ).toBe(false);
  });
});
