import { useEffect, useState } from 'preact/hooks';
import type { AppState } from '../ui/types';

/** Subscribes a component to the controller's state (the hook form; the page itself uses the class
 * `AppRoot`, the same subscription, so that it ships no preact/hooks). */
export function useAppState(controller: { getState(): AppState; subscribe(l: (s: AppState) => void): () => void }): AppState {
  const [state, setState] = useState(controller.getState());
  useEffect(() => {
    setState(controller.getState());
    return controller.subscribe(setState);
  }, [controller]);
  return state;
}
