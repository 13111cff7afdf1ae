import type { LaunchProblem } from '../src/smart/launch-errors.ts';

/** Replaces the page with a launch problem. Text only: details may echo values from the URL. */
export function showLaunchProblem(problem: LaunchProblem): void {
  const root = document.getElementById('launch-root') ?? document.body;
  const section = document.createElement('section');
  section.className = 'launch-problem';
  section.setAttribute('role', 'alert');
  section.dataset.problem = problem.kind;
  const heading = document.createElement('h1');
  heading.textContent = problem.title;
  const message = document.createElement('p');
  message.textContent = problem.message;
  const action = document.createElement('p');
  action.className = 'action';
  action.textContent = problem.action;
  section.append(heading, message, action);
  root.replaceChildren(section);
  document.title = `Curbside · ${problem.title}`;
}
