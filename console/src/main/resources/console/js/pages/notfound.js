import {h} from '../dom.js';

export function render(container) {
  container.append(h('div', {class: 'page narrow'}, h('h1', {}, 'Page not found'),
    h('p', {}, 'There is no page at ', h('code', {}, location.pathname), '.'),
    h('p', {}, h('a', {href: '/chat'}, 'Go to your chats'))));
}
