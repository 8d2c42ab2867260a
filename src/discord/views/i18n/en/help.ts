/** The words of /animate-help: what the bot does, and what each /animate option is for. */
import type { Formats } from '../formats.js';

export const enHelp = (_f: Formats) => ({
	'help.title': () => 'animate-bot',
	'help.about': () =>
		'Turns a still image into a short video with Stable Video Diffusion. ' +
		'Run `/animate` with an image, or right-click a post → Apps → **Animate image**. The reply shows your place in ' +
		'the queue and the progress, and the video is posted in the channel with the seed used, with buttons to ' +
		'reroll, add or remove motion, or delete it. `/animate-optout` stops others from animating your images.',
	'help.options-title': () => '/animate options',
	'help.option': (p: { name: string; required: boolean; description: string }) => `\`${p.name}\`${p.required ? ' (required)' : ''}: ${p.description}`,
	// What Discord shows in its command list: a description at most 100 characters, a context-menu name at most 32.
	'command.animate': () => 'Turn a still image into a short video',
	'command.animate-image': () => 'Animate image',
	'command.animate-help': () => 'What animate-bot does and how to use /animate',
	'command.animate-optout': () => 'Stop others from animating your images (undo:True to allow it again)',
	'command.animate-optout.undo': () => 'Allow others to animate your images again',
	'command.animate-settings': () => "View or change animate-bot's settings for this server",
	// One per /animate option, at most 100 characters (Discord's limit on an option's description).
	'option.image': () => 'The picture to animate (PNG, JPEG or WebP; 1024×576 works best)',
	'option.model': () => 'The video model (this server’s default when left out)',
	'option.prompt': () => 'Describe the motion (Wan, Kling, Hailuo, Luma)',
	'option.negative_prompt': () => 'What to avoid in the video (Kling)',
	'option.duration': () => 'Length of the video, from the model’s choices',
	'option.resolution': () => 'Resolution, from the model’s choices',
	'option.aspect_ratio': () => 'Aspect ratio, from the model’s choices',
	'option.end_image': () => 'The last frame the video should reach (Wan, Hailuo, Luma)',
	'option.loop': () => 'End where it starts, for a seamless loop (Luma)',
	'option.motion': () => 'How much things move, 1–255 (default 127; SVD models)',
	'option.noise': () => 'Noise added to the image, 0–10; more noise = more change (SVD models)',
	'option.seed': () => 'Same seed + same options = same video (random when left out)',
	'option.steps': () => 'Denoising steps; more is slower and finer (SVD models)',
	'option.fps': () => 'Frames per second of the video (Stable Video, Fast SVD)',
	'option.mask': () => 'Black-and-white image: black areas move, white areas stay still (SVD)',
	'option.depth_maps': () => 'Zip of depth-map images, one per frame, to steer the motion (SVD)',
});

export type HelpMessages = ReturnType<typeof enHelp>;
