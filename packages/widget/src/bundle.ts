// The self-contained bundle for a plain <script type="module">: every element, every language.
import './translations/es.js';
export * from './index.js';
